import DekoKit
import Foundation
import Network
import dnssd

/// The bindings' DiscoveryPlatform on Bonjour: browses the core's service
/// type with NWBrowser and resolves each service to `ip:port` with a UDP
/// NWConnection (its remote endpoint once ready; nothing is sent). Announces
/// with DNSServiceRegister: the core's QUIC socket already holds the UDP
/// port, so an NWListener (which must own its port) cannot advertise it.
/// The core sees only opaque, hourly-rotating instance names; it never
/// passes team ids or keys through here.
/// Needs NSLocalNetworkUsageDescription and NSBonjourServices (_deko._udp).
final class BonjourDiscovery: DiscoveryPlatform, @unchecked Sendable {
    private let type: String
    private let queue = DispatchQueue(label: "app.deko.discovery")
    private var browser: NWBrowser?
    private var registration: DNSServiceRef?
    private var found: [String: [String]] = [:]
    private var resolving: [String: NWConnection] = [:]
    private let lock = NSLock()

    /// `serviceType` is the core's `discoveryServiceType()` (`_deko._udp.local.`).
    init(serviceType: String) {
        type = serviceType.replacingOccurrences(of: ".local.", with: "").trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    func announce(instance: String, port: UInt16) {
        queue.async {
            if let old = self.registration {
                DNSServiceRefDeallocate(old)
                self.registration = nil
            }
            var ref: DNSServiceRef?
            let err = DNSServiceRegister(&ref, 0, 0, instance, self.type, nil, nil, port.bigEndian, 0, nil, nil, nil)
            if err == kDNSServiceErr_NoError, let ref {
                DNSServiceSetDispatchQueue(ref, self.queue)
                self.registration = ref
            }
            if self.browser == nil { self.browse() }
        }
    }

    func seen() -> [SeenService] {
        lock.lock()
        defer { lock.unlock() }
        return found.map { SeenService(instance: $0.key, addrs: $0.value) }
    }

    func shutdown() {
        queue.async {
            self.browser?.cancel()
            self.browser = nil
            if let ref = self.registration { DNSServiceRefDeallocate(ref) }
            self.registration = nil
            self.resolving.values.forEach { $0.cancel() }
            self.resolving = [:]
            self.lock.lock()
            self.found = [:]
            self.lock.unlock()
        }
    }

    private func browse() {
        let browser = NWBrowser(for: .bonjour(type: type, domain: nil), using: .udp)
        browser.browseResultsChangedHandler = { [weak self] results, _ in
            self?.update(results)
        }
        browser.start(queue: queue)
        self.browser = browser
    }

    private func update(_ results: Set<NWBrowser.Result>) {
        var names = Set<String>()
        for result in results {
            guard case let .service(name, _, _, _) = result.endpoint else { continue }
            names.insert(name)
            if resolving[name] == nil { resolve(name, result.endpoint) }
        }
        lock.lock()
        found = found.filter { names.contains($0.key) }
        lock.unlock()
        for (name, c) in resolving where !names.contains(name) {
            c.cancel()
            resolving[name] = nil
        }
    }

    private func resolve(_ name: String, _ endpoint: NWEndpoint) {
        let params = NWParameters.udp
        params.requiredInterfaceType = .wifi
        let connection = NWConnection(to: endpoint, using: params)
        connection.stateUpdateHandler = { [weak self] state in
            guard let self, case .ready = state,
                  case let .hostPort(host, port)? = connection.currentPath?.remoteEndpoint else { return }
            let ip: String
            switch host {
            case let .ipv4(a): ip = "\(a)"
            case let .ipv6(a): ip = "[\(a)]"
            case let .name(n, _): ip = n
            @unknown default: return
            }
            let addr = "\(ip.split(separator: "%").first ?? ""):\(port.rawValue)"
            self.lock.lock()
            self.found[name] = [addr]
            self.lock.unlock()
        }
        resolving[name] = connection
        connection.start(queue: queue)
    }
}

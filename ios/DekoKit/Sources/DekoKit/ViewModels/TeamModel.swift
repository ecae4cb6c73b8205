import Foundation
import Observation

/// Team & sync: the devices (revoke one, with a confirmation in the screen),
/// an invite as QR code and text, sync now, sync with a ticket, the relay.
@Observable
@MainActor
public final class TeamModel {
    public private(set) var devices: [Device] = []
    public private(set) var invite: String?
    public private(set) var syncing = false
    public private(set) var lastReport: SyncReport?
    public private(set) var error: CoreError?
    public var relayAddress = ""
    public var relayToken = ""
    public private(set) var relaySaved = false

    /// How long an invite is valid (the screen says "valid 1 hour").
    public static let inviteTtlS: UInt64 = 3600
    private let core: Core
    private let app: AppModel

    public init(app: AppModel, core: Core) {
        self.app = app
        self.core = core
    }

    public func reload() async {
        do {
            devices = try await core.run { db in try db.devices() }
            let relay = try await core.run { db in db.syncRunning() ? try db.relay() : nil }
            if let relay {
                relayAddress = relay.address
                relayToken = relay.token ?? ""
            }
        } catch {
            self.error = CoreError(error)
        }
    }

    public func revoke(_ device: Device) async {
        let id = device.device
        do {
            _ = try await core.run { db in try db.revoke(device: id) }
            await reload()
        } catch {
            self.error = CoreError(error)
        }
    }

    /// A one-time member invite naming this device at its Wi-Fi addresses
    /// (and the relay, if set), shown as a QR code and as text.
    public func makeInvite() async {
        do {
            let listen = try await core.ensureSync()
            let port = listen.split(separator: ":").last.map(String.init) ?? "0"
            let addrs = NetworkAddresses.local().map { "\($0):\(port)" }
            invite = try await core.run { db in
                try db.ticket(addrs: addrs, invite: InviteOptions(role: .member, ttlS: TeamModel.inviteTtlS))
            }
        } catch {
            self.error = CoreError(error)
        }
    }

    public func syncNow() async {
        await sync(.allKnown)
    }

    /// A `deko:` link pasted, scanned or read by NFC.
    public func sync(ticket: String) async {
        await sync(.ticket(ticket: ticket.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    private func sync(_ target: SyncTarget) async {
        guard !syncing else { return }
        syncing = true
        error = nil
        defer { syncing = false }
        do {
            _ = try await core.ensureSync()
            let report = try await core.runAsync { db in try await db.sync(target: target) }
            lastReport = report
            if report.sessions.contains(where: { ($0.stats?.applied ?? 0) > 0 }) {
                app.dataChanged()
            }
            await reload()
        } catch {
            self.error = CoreError(error)
        }
    }

    public func saveRelay() async {
        let address = relayAddress.trimmingCharacters(in: .whitespaces)
        let token = relayToken.trimmingCharacters(in: .whitespaces)
        let relay: RelaySettings? = address.isEmpty ? nil : RelaySettings(address: address, token: token.isEmpty ? nil : token)
        relaySaved = false
        do {
            _ = try await core.ensureSync()
            try await core.runAsync { db in try await db.setRelay(relay: relay) }
            relaySaved = true
        } catch {
            self.error = CoreError(error)
        }
    }
}

/// Settings: your name, the phone region (the core re-indexes numbers), this
/// device's fingerprint and the library's version.
@Observable
@MainActor
public final class SettingsModel {
    public var region = ""
    public private(set) var yourName: String?
    public private(set) var fingerprint = ""
    public private(set) var version = ""
    public private(set) var saved = false
    public private(set) var error: CoreError?
    private let core: Core

    public init(core: Core) {
        self.core = core
    }

    public func reload() async {
        do {
            let (region, name, fingerprint) = try await core.run { db in
                (try db.region(), try db.devices().first(where: { $0.isThisDevice })?.personName, try db.deviceFingerprint())
            }
            self.region = region
            self.yourName = name
            self.fingerprint = fingerprint
            version = libraryVersion()
        } catch {
            self.error = CoreError(error)
        }
    }

    public func saveRegion() async {
        let r = region.trimmingCharacters(in: .whitespaces).uppercased()
        saved = false
        do {
            try await core.run { db in try db.setRegion(region: r) }
            saved = true
        } catch {
            self.error = CoreError(error)
        }
    }
}

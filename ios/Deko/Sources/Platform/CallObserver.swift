import CallKit
import DekoKit
import UIKit

/// Calls placed from the app: iOS tells an app nothing about a call's number
/// unless the app placed it, so `dial` remembers the number it hands to
/// `tel:`, and when CXCallObserver sees that outgoing call end, the log sheet
/// opens prefilled with the number, start and duration.
@MainActor
final class CallObserver: NSObject, CXCallObserverDelegate {
    private let observer = CXCallObserver()
    private let app: AppModel
    private var dialed: (number: String, at: Date)?
    private var connected: [UUID: Date] = [:]
    private var started: [UUID: Date] = [:]
    /// A call that starts later than this after `dial` is not ours.
    private let window: TimeInterval = 60

    init(app: AppModel) {
        self.app = app
        super.init()
        observer.setDelegate(self, queue: .main)
    }

    func dial(_ number: String) {
        let digits = number.filter { "+0123456789".contains($0) }
        guard let url = URL(string: "tel:\(digits)") else { return }
        dialed = (number, Date())
        UIApplication.shared.open(url)
    }

    nonisolated func callObserver(_ callObserver: CXCallObserver, callChanged call: CXCall) {
        let (uuid, outgoing, hasConnected, hasEnded) = (call.uuid, call.isOutgoing, call.hasConnected, call.hasEnded)
        MainActor.assumeIsolated {
            self.changed(uuid: uuid, outgoing: outgoing, hasConnected: hasConnected, hasEnded: hasEnded)
        }
    }

    private func changed(uuid: UUID, outgoing: Bool, hasConnected: Bool, hasEnded: Bool) {
        let now = Date()
        if started[uuid] == nil { started[uuid] = now }
        if hasConnected, connected[uuid] == nil { connected[uuid] = now }
        guard hasEnded else { return }
        defer {
            started[uuid] = nil
            connected[uuid] = nil
        }
        guard outgoing, let d = dialed, let start = started[uuid], start.timeIntervalSince(d.at) < window else { return }
        dialed = nil
        let duration = connected[uuid].map { now.timeIntervalSince($0) } ?? 0
        app.pendingCall = CallPrefill(number: d.number, start: start, duration: duration)
    }
}

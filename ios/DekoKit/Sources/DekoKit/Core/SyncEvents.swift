import Foundation

/// One peer's last session, as the team screen shows it.
public struct PeerStatus: Identifiable, Equatable, Sendable {
    public var id: String { device }
    public let device: String
    public var at: Date
    public var via: SyncVia?
    public var received: UInt64
    public var sent: UInt64
    public var refused: UInt64
    public var error: CoreError?
    public var running: Bool
}

/// The bindings' `SyncListener`: the library calls it from its own threads,
/// so it only hands the events to the main actor. It never calls back into
/// the database (the library may hold its lock while it reports).
final class SyncEvents: SyncListener, @unchecked Sendable {
    private let sink: @Sendable (SyncEvent) -> Void

    init(sink: @escaping @Sendable (SyncEvent) -> Void) {
        self.sink = sink
    }

    func onStarted(peer: String, via: SyncVia, initiator: Bool) {
        sink(.started(peer: peer, via: via))
    }

    func onProgress(peer: String, stats: SyncStats) {
        sink(.progress(peer: peer, received: stats.received, toReceive: stats.toReceive))
    }

    func onDone(peer: String, stats: SyncStats) {
        sink(.done(peer: peer, received: stats.received, sent: stats.sent, applied: stats.applied, refused: stats.refused))
    }

    /// After a large transfer (a first sync): the lists and search catching
    /// up with what arrived, `done` of `total` items.
    func onViews(done: UInt64, total: UInt64) {
        sink(.views(done: done, total: total))
    }

    /// The team screen explains the failure by its kind, in the app's
    /// language (with a refusal's own words); `message` is the core's.
    func onError(peer: String?, message: String, kind: ErrorKind, reason: String?) {
        sink(.failed(peer: peer, error: CoreError(kind: kind, message: message, reason: reason)))
    }
}

enum SyncEvent: Sendable {
    case started(peer: String, via: SyncVia)
    case progress(peer: String, received: UInt64, toReceive: UInt64)
    case done(peer: String, received: UInt64, sent: UInt64, applied: UInt64, refused: UInt64)
    case views(done: UInt64, total: UInt64)
    case failed(peer: String?, error: CoreError)
}

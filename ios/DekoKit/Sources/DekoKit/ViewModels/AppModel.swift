import Foundation
import Observation

/// The app's root state: the open database, whether it belongs to a team,
/// the conflicts waiting, the sync status per peer, and a counter that ticks
/// whenever records arrived from a peer (open screens reload on it).
@Observable
@MainActor
public final class AppModel {
    public enum Phase: Equatable {
        case opening
        case firstRun
        case ready(teamName: String)
        case failed(String)
    }

    public private(set) var phase: Phase = .opening
    public private(set) var core: Core?
    public private(set) var conflictCount: UInt64 = 0
    public private(set) var peers: [String: PeerStatus] = [:]
    public private(set) var joinProgress: (received: UInt64, total: UInt64)?
    /// The join's records are in; `joinProgress` counts the lists and
    /// search catching up with them.
    public private(set) var joinPreparing = false
    /// Ticks when records from a peer were applied.
    public private(set) var dataVersion = 0
    /// The call sheet the platform asked for (a call from the app ended, the
    /// "Log recent call" intent); the root view presents it.
    public var pendingCall: CallPrefill?
    /// A `deko:` link the app was opened with (a QR code scanned by the
    /// camera app, a link tapped in Messages): first run joins with it, a
    /// member syncs with it.
    public var openedTicket: String?

    private let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public func open() async {
        do {
            let core = try await Core.open(in: directory)
            self.core = core
            let events = SyncEvents { [weak self] event in
                _Concurrency.Task { @MainActor in self?.handle(event) }
            }
            core.db.addSyncListener(listener: events)
            try await refreshTeam()
        } catch {
            phase = .failed(CoreError(error).message)
        }
    }

    public func refreshTeam() async throws {
        guard let core else { return }
        let team = try await core.run { db in try db.team() }
        if let team {
            phase = .ready(teamName: team.name)
            await refreshCounts()
        } else {
            phase = .firstRun
        }
    }

    public func refreshCounts() async {
        guard let core else { return }
        let stats = try? await core.run { db in try db.stats() }
        if let stats {
            conflictCount = stats.conflicts
        }
    }

    /// Records arrived or were written elsewhere: screens reload.
    public func dataChanged() {
        dataVersion += 1
        _Concurrency.Task { await refreshCounts() }
    }

    func handle(_ event: SyncEvent) {
        switch event {
        case let .started(peer, via):
            var p = peers[peer] ?? PeerStatus(device: peer, at: Date(), via: via, received: 0, sent: 0, refused: 0, error: nil, running: true)
            p.via = via
            p.running = true
            p.at = Date()
            peers[peer] = p
        case let .progress(peer, received, toReceive):
            peers[peer]?.received = received
            if joinProgress != nil {
                joinProgress = (received, toReceive)
            }
        case let .views(done, total):
            if joinProgress != nil {
                joinProgress = (done, total)
                joinPreparing = true
            }
        case let .done(peer, received, sent, applied, refused):
            var p = peers[peer] ?? PeerStatus(device: peer, at: Date(), via: nil, received: 0, sent: 0, refused: 0, error: nil, running: false)
            p.received = received
            p.sent = sent
            p.refused = refused
            p.error = nil
            p.running = false
            p.at = Date()
            peers[peer] = p
            if applied > 0 {
                dataChanged()
            }
        case let .failed(peer, error):
            guard let peer else { return }
            peers[peer]?.error = error
            peers[peer]?.running = false
        }
    }

    func setJoinProgress(_ value: (received: UInt64, total: UInt64)?) {
        joinProgress = value
        joinPreparing = false
    }
}

/// What the platform knows of a call when it asks for the log sheet.
public struct CallPrefill: Identifiable, Equatable, Sendable {
    public let id = UUID()
    public var personId: String?
    public var number: String?
    public var start: Date?
    public var duration: TimeInterval?

    public init(personId: String? = nil, number: String? = nil, start: Date? = nil, duration: TimeInterval? = nil) {
        self.personId = personId
        self.number = number
        self.start = start
        self.duration = duration
    }
}

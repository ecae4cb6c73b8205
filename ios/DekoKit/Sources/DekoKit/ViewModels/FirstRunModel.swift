import Foundation
import Observation

/// First run: found a team, or join one with a `deko:` ticket (pasted,
/// scanned from a QR code or read by NFC). The core checks names and tickets.
@Observable
@MainActor
public final class FirstRunModel {
    public enum Mode { case found, join }

    public var mode: Mode = .found
    public var teamName = ""
    public var yourName = ""
    public var ticket = ""
    public private(set) var busy = false
    public private(set) var error: CoreError?
    /// Which field is empty (the screen says "please enter a name" etc.).
    public private(set) var missing: Field?

    public enum Field { case teamName, yourName, ticket }

    private let app: AppModel

    public init(app: AppModel) {
        self.app = app
    }

    public func submit() {
        missing = nil
        error = nil
        let you = yourName.trimmingCharacters(in: .whitespacesAndNewlines)
        if you.isEmpty { missing = .yourName; return }
        switch mode {
        case .found:
            let team = teamName.trimmingCharacters(in: .whitespacesAndNewlines)
            if team.isEmpty { missing = .teamName; return }
            run { core in _ = try await core.run { db in try db.createTeam(teamName: team, personName: you) } }
        case .join:
            let t = ticket.trimmingCharacters(in: .whitespacesAndNewlines)
            if t.isEmpty { missing = .ticket; return }
            app.setJoinProgress((0, 0))
            let listen = app.core?.listen ?? "0.0.0.0:0"
            run { core in
                _ = try await core.runAsync { db in
                    try await db.join(ticket: t, personName: you, settings: SyncSettings(listen: listen, relay: nil))
                }
            }
        }
    }

    private func run(_ body: @escaping @MainActor (Core) async throws -> Void) {
        guard let core = app.core, !busy else { return }
        busy = true
        _Concurrency.Task {
            defer {
                busy = false
                app.setJoinProgress(nil)
            }
            do {
                try await body(core)
                try await app.refreshTeam()
            } catch {
                self.error = CoreError(error)
            }
        }
    }
}

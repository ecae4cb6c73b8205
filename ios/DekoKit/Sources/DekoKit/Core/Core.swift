import Foundation

/// The record type `Task` of the generated bindings, under a name that does
/// not collide with Swift concurrency's `Task` in the app's files.
public typealias CoreTask = Task

/// A failure of a core call: the kind to branch on and the core's own sentence.
public struct CoreError: Error, Equatable, Sendable {
    public enum Kind: String, Sendable {
        case database, storageFull, corrupt, schemaTooNew, invalidRecord, notAMember, revoked, notAdmin
        case alreadyInTeam, notFound, conflictNeedsResolution, invalidPhoneNumber, invalidVcard, badTicket
        case badInput, protocolError, unreachable, timedOut, refusedByPeer, relayRefused, network, discovery
        case state, other
        /// The library failed inside: a panic (a bug, never the input's
        /// fault), which the bindings raise as an error instead of ending the app.
        case internalError
    }

    public let kind: Kind
    public let message: String
    /// A refusing peer's or relay's own words (`refusedByPeer`, `relayRefused`).
    public let reason: String?

    public init(kind: Kind, message: String, reason: String? = nil) {
        self.kind = kind
        self.message = message
        self.reason = reason
    }

    /// A failed sync session as the listener reports it: the bindings'
    /// `ErrorKind`, the core's sentence and the refusal's own words.
    public init(kind: ErrorKind, message: String, reason: String?) {
        let mapped: Kind
        switch kind {
        case .database: mapped = .database
        case .storageFull: mapped = .storageFull
        case .corrupt: mapped = .corrupt
        case .schemaTooNew: mapped = .schemaTooNew
        case .invalidRecord: mapped = .invalidRecord
        case .notAMember: mapped = .notAMember
        case .revoked: mapped = .revoked
        case .notAdmin: mapped = .notAdmin
        case .alreadyInTeam: mapped = .alreadyInTeam
        case .notFound: mapped = .notFound
        case .conflictNeedsResolution: mapped = .conflictNeedsResolution
        case .invalidPhoneNumber: mapped = .invalidPhoneNumber
        case .invalidVcard: mapped = .invalidVcard
        case .badTicket: mapped = .badTicket
        case .badInput: mapped = .badInput
        case .protocol: mapped = .protocolError
        case .unreachable: mapped = .unreachable
        case .timedOut: mapped = .timedOut
        case .refusedByPeer: mapped = .refusedByPeer
        case .relayRefused: mapped = .relayRefused
        case .network: mapped = .network
        case .discovery: mapped = .discovery
        case .state: mapped = .state
        }
        self.init(kind: mapped, message: message, reason: reason)
    }

    /// Maps the bindings' flat `DekoError` (one case per kind, the core's
    /// sentence in `detail`); anything else is `other` with its description.
    public init(_ error: Error) {
        if let e = error as? CoreError {
            self = e
            return
        }
        guard let e = error as? DekoError else {
            // The bindings' own error for a panic is file-private to the
            // generated code: known by its type's name.
            let panicked = String(describing: type(of: error)) == "UniffiInternalError"
            self.init(
                kind: panicked ? .internalError : .other,
                message: (error as? LocalizedError)?.errorDescription ?? String(describing: error)
            )
            return
        }
        let kind: Kind
        var reason: String?
        switch e {
        case .Database: kind = .database
        case .StorageFull: kind = .storageFull
        case .Corrupt: kind = .corrupt
        case .SchemaTooNew: kind = .schemaTooNew
        case .InvalidRecord: kind = .invalidRecord
        case .NotAMember: kind = .notAMember
        case .Revoked: kind = .revoked
        case .NotAdmin: kind = .notAdmin
        case .AlreadyInTeam: kind = .alreadyInTeam
        case .NotFound: kind = .notFound
        case .ConflictNeedsResolution: kind = .conflictNeedsResolution
        case .InvalidPhoneNumber: kind = .invalidPhoneNumber
        case .InvalidVcard: kind = .invalidVcard
        case .BadTicket: kind = .badTicket
        case .BadInput: kind = .badInput
        case .Protocol: kind = .protocolError
        case .Unreachable: kind = .unreachable
        case .TimedOut: kind = .timedOut
        case let .RefusedByPeer(words, _): kind = .refusedByPeer; reason = words
        case let .RelayRefused(words, _): kind = .relayRefused; reason = words
        case .Network: kind = .network
        case .Discovery: kind = .discovery
        case .State: kind = .state
        }
        self.init(kind: kind, message: e.description, reason: reason)
    }
}

/// The one way from the app to the core: the open `Database` of the
/// generated bindings. Every call runs off the main actor (a detached task
/// for the short local SQLite calls; the bindings' async calls run on the
/// library's own Tokio runtime) and throws `CoreError`. View-models hold a
/// `Core`; the screens never see `Database`.
public final class Core: @unchecked Sendable {
    public let db: Database
    /// The listen address of the QUIC endpoint (any interface, any free port).
    public let listen: String

    public init(db: Database, listen: String = "0.0.0.0:0") {
        self.db = db
        self.listen = listen
    }

    /// Opens (or creates) `deko.db` in the app's Application Support folder;
    /// the core's log lines go to the unified log from then on.
    public static func open(in directory: URL, region: String? = nil) async throws -> Core {
        OSLogSink.install()
        return try await detached {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent("deko.db").path
            return Core(db: try Database.open(path: path, region: region))
        }
    }

    /// A short local call, off the main actor.
    public func run<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let db = self.db
        return try await Core.detached { try body(db) }
    }

    /// A network or import call (async in the bindings).
    public func runAsync<T: Sendable>(_ body: @escaping @Sendable (Database) async throws -> T) async throws -> T {
        do {
            return try await body(db)
        } catch {
            throw CoreError(error)
        }
    }

    /// Starts sync if it is not running; returns the listening address.
    public func ensureSync() async throws -> String {
        let listen = self.listen
        return try await runAsync { db in
            if db.syncRunning() {
                return try db.localAddr()
            }
            return try await db.startSync(settings: SyncSettings(listen: listen, relay: nil))
        }
    }

    static func detached<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let work = _Concurrency.Task.detached(priority: .userInitiated) { () throws -> T in
            do {
                return try body()
            } catch {
                throw CoreError(error)
            }
        }
        return try await work.value
    }
}

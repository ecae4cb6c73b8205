import Foundation
import Observation

/// The outcomes the sheet offers, stored as the core's outcome keys (the
/// same keys the Kotlin UI writes).
public enum CallOutcome: String, CaseIterable, Sendable {
    case connected, noAnswer = "no_answer", leftMessage = "left_message", busy, wrongNumber = "wrong_number"
}

/// The log-a-call sheet, prefilled from what the platform knows (the number,
/// start and duration of a call that just ended) or from the person it was
/// opened on. The core reads the number, matches it, gives it to the person
/// picked when nobody has it, and stores the call with its follow-up task,
/// all in one call.
@Observable
@MainActor
public final class CallSheetModel {
    public enum Match: Equatable {
        case none
        case person(Person)
        case company(Company)
        case unknown
    }

    public var number = "" {
        didSet { if number != oldValue { lookUp() } }
    }
    public private(set) var match: Match = .none
    public var start: Date
    public var minutes = ""
    public var direction: Direction = .out
    public var outcome: CallOutcome?
    public var note = ""
    /// Follow-up task in this many days (1, 3 or 7), or none.
    public var followUpDays: Int?
    /// An unknown number: the person it is attached to.
    public var attachTo: SearchHit?
    public var attachQuery = "" {
        didSet { if attachQuery != oldValue { searchAttach() } }
    }
    public private(set) var attachHits: [SearchHit] = []
    public private(set) var saving = false
    public private(set) var error: CoreError?
    public private(set) var invalidMinutes = false
    public private(set) var logged: LoggedCall?

    public static let followUpChoices = [1, 3, 7]
    private let core: Core
    private let followUpTitle: (String) -> String
    private var looking: _Concurrency.Task<Void, Never>?
    private var attaching: _Concurrency.Task<Void, Never>?

    /// `followUpTitle` words the follow-up task in the app's language.
    public init(core: Core, prefill: CallPrefill, followUpTitle: @escaping (String) -> String) {
        self.core = core
        self.followUpTitle = followUpTitle
        start = prefill.start ?? Date()
        if let d = prefill.duration {
            minutes = CallSheetModel.minutesText(d)
        }
        if let n = prefill.number {
            number = n
            lookUp()
        } else if let personId = prefill.personId {
            _Concurrency.Task {
                // as the person screen shows it; the core reads it back to the same number
                if let p = try? await core.run({ db in try db.person(id: personId) }), let n = p.phones.first?.display {
                    self.number = n
                }
            }
        }
    }

    static func minutesText(_ seconds: TimeInterval) -> String {
        let s = Int(seconds.rounded())
        return s % 60 == 0 ? "\(s / 60)" : String(format: "%d:%02d", s / 60, s % 60)
    }

    /// "4" or "4:30" minutes; nil when unreadable.
    static func seconds(_ text: String) -> Int64? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return 0 }
        let parts = t.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, let m = Int64(parts[0]), m >= 0 else { return nil }
        var s: Int64 = 0
        if parts.count == 2 {
            guard let sec = Int64(parts[1]), (0..<60).contains(sec) else { return nil }
            s = sec
        }
        return m * 60 + s
    }

    private func lookUp() {
        looking?.cancel()
        let n = number.trimmingCharacters(in: .whitespaces)
        guard !n.isEmpty else {
            match = .none
            return
        }
        let core = self.core
        looking = _Concurrency.Task {
            let found = try? await core.run { db in try db.lookupNumber(number: n) }
            guard !_Concurrency.Task.isCancelled else { return }
            if let p = found?.people.first {
                self.match = .person(p)
            } else if let c = found?.companies.first {
                self.match = .company(c)
            } else {
                self.match = .unknown
            }
        }
    }

    private func searchAttach() {
        attaching?.cancel()
        let q = attachQuery
        let core = self.core
        attaching = _Concurrency.Task {
            let hits = (try? await core.run { db in try db.search(input: q, offset: 0, limit: 20) }) ?? []
            guard !_Concurrency.Task.isCancelled else { return }
            self.attachHits = hits.filter { $0.kind == "person" }
        }
    }

    public func save() {
        guard !saving else { return }
        guard let durationS = CallSheetModel.seconds(minutes) else {
            invalidMinutes = true
            return
        }
        invalidMinutes = false
        saving = true
        error = nil
        let days = followUpDays
        let attach = match == .unknown ? attachTo : nil
        let titleFor = followUpTitle
        let number = self.number
        let core = self.core
        let startMs = Int64(start.timeIntervalSince1970 * 1000)
        let direction = self.direction
        let note = self.note.isEmpty ? nil : self.note
        let outcome = self.outcome?.rawValue
        _Concurrency.Task {
            defer { self.saving = false }
            do {
                // The follow-up names whom the core files the call under, else the number.
                var followUp: FollowUp?
                if let days {
                    let giveTo = attach?.id
                    let who = try await core.run { db in try db.callCounterpart(number: number, giveTo: giveTo) } ?? number
                    followUp = FollowUp(title: titleFor(who), due: startMs + Int64(days) * 86_400_000)
                }
                // One core call: the number given to the person picked, the call, its follow-up.
                let input = CallInput(
                    number: number, start: startMs, durationS: durationS, direction: direction,
                    note: note, outcome: outcome, giveTo: attach?.id, followUp: followUp
                )
                self.logged = try await core.run { db in try db.logCall(call: input) }
            } catch {
                self.error = CoreError(error)
            }
        }
    }
}

import Foundation
import Observation

/// Tasks: overdue, due today (the local day) and upcoming, as the core
/// files them (each with the name of whom it is about).
@Observable
@MainActor
public final class TasksModel {
    public private(set) var overdue: [CoreTask] = []
    public private(set) var today: [CoreTask] = []
    public private(set) var upcoming: [CoreTask] = []
    public private(set) var error: CoreError?
    private let core: Core

    public init(core: Core) {
        self.core = core
    }

    public func reload() async {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let offset = Int32(TimeZone.current.secondsFromGMT() / 60)
        do {
            let lists = try await core.run { db -> ([CoreTask], [CoreTask], [CoreTask]) in
                let overdue = try db.tasks(filter: .overdue, now: now, utcOffsetMin: offset)
                let today = try db.tasks(filter: .dueToday, now: now, utcOffsetMin: offset)
                let seen = Set((overdue + today).map(\.id))
                let open = try db.tasks(filter: .open, now: now, utcOffsetMin: offset).filter { !seen.contains($0.id) }
                return (overdue, today, open)
            }
            (overdue, today, upcoming) = lists
        } catch {
            self.error = CoreError(error)
        }
    }

    public func setDone(_ id: String, _ done: Bool) async {
        do {
            try await core.run { db in try db.setTaskDone(id: id, done: done) }
            await reload()
        } catch {
            self.error = CoreError(error)
        }
    }

    public func create(title: String, due: Date?, personId: String?) async {
        let dueMs = due.map { Int64($0.timeIntervalSince1970 * 1000) }
        do {
            _ = try await core.run { db in
                try db.createTask(draft: TaskDraft(title: title, due: dueMs, clearDue: false, person: personId))
            }
            await reload()
        } catch {
            self.error = CoreError(error)
        }
    }
}

/// Deals by stage, with the count and the totals per currency the core sums.
@Observable
@MainActor
public final class DealsModel {
    public private(set) var columns: [PipelineColumn] = []
    public private(set) var error: CoreError?
    private let core: Core

    public init(core: Core) {
        self.core = core
    }

    public func reload() async {
        do {
            columns = try await core.run { db in try db.pipeline() }
        } catch {
            self.error = CoreError(error)
        }
    }

    /// The currency a new deal starts with: the one most of the team's
    /// deals are in, else the currency of the device's phone region, else euros.
    public func defaultCurrency() async -> String {
        let loaded = columns.isEmpty ? ((try? await core.run { db in try db.pipeline() }) ?? []) : columns
        let counts = Dictionary(loaded.flatMap(\.deals).compactMap { $0.value?.currency }.map { ($0, 1) }, uniquingKeysWith: +)
        if let most = counts.max(by: { $0.value < $1.value })?.key { return most }
        let region = (try? await core.run { db in try db.region() }) ?? ""
        return Locale(identifier: "en_\(region)").currency?.identifier ?? "EUR"
    }

    /// Why a new deal was not saved: which field, and the core's words.
    public enum Refusal: Equatable, Sendable {
        case value(String), currency(String), title(String)
    }

    /// A new deal in the pipeline's first stage. `value` is read by the core
    /// as people write amounts ("" for none), in `currency` unless it names
    /// one; the customer is `companyId` if given (a deal made on a company's
    /// card), else the company `company` names, found or made. Returns nil
    /// when saved.
    public func create(title: String, value: String, currency: String, company: String,
                       companyId: String? = nil) async -> Refusal? {
        let title = title.trimmingCharacters(in: .whitespaces)
        let value = value.trimmingCharacters(in: .whitespaces)
        let currency = currency.trimmingCharacters(in: .whitespaces)
        let company = company.trimmingCharacters(in: .whitespaces)
        let money: Money?
        do {
            money = value.isEmpty ? nil : try parseMoney(text: value, defaultCurrency: currency)
        } catch {
            return Self.refusal(error, otherwise: Refusal.value)
        }
        do {
            _ = try await core.run { db in
                let customer = try companyId ?? (company.isEmpty ? nil : db.companyNamed(name: company))
                return try db.createDeal(draft: DealDraft(title: title, company: customer, value: money))
            }
            await reload()
            return nil
        } catch {
            return Self.refusal(error, otherwise: Refusal.title)
        }
    }

    /// The field a refusal is about: the core's own field name for the
    /// value or the currency, else `otherwise`.
    private static func refusal(_ error: Error, otherwise: (String) -> Refusal) -> Refusal {
        let message = CoreError(error).message
        if let e = error as? DekoError, case let .BadInput(field, _) = e {
            if field == "currency" { return .currency(message) }
            if field == "value" { return .value(message) }
        }
        return otherwise(message)
    }

    public func move(deal: String, to stage: String) async {
        do {
            try await core.run { db in
                try db.updateDeal(id: deal, draft: DealDraft(clearValue: false, stage: stage, clearExpectedClose: false, custom: []))
            }
            await reload()
        } catch {
            self.error = CoreError(error)
        }
    }
}

/// Fields written on two devices at once: every value, the shown one first;
/// picking one (or writing a new one) resolves it everywhere after sync.
@Observable
@MainActor
public final class ConflictsModel {
    public private(set) var conflicts: [Conflict] = []
    public private(set) var error: CoreError?
    private let core: Core

    public init(core: Core) {
        self.core = core
    }

    public func reload() async {
        do {
            // Each with whose field it is (`name`) and who wrote each value (`by`).
            conflicts = try await core.run { db in try db.conflicts() }
        } catch {
            self.error = CoreError(error)
        }
    }

    public func keep(_ conflict: Conflict, _ value: FieldValue) async {
        await resolve(conflict, value)
    }

    public func write(_ conflict: Conflict, text: String) async {
        await resolve(conflict, .text(value: text))
    }

    private func resolve(_ conflict: Conflict, _ value: FieldValue) async {
        let (id, field) = (conflict.entity, conflict.field)
        do {
            try await core.run { db in try db.resolve(id: id, field: field, value: value) }
            await reload()
        } catch {
            self.error = CoreError(error)
        }
    }
}

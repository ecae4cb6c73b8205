import Foundation
import Observation

/// People or companies: the list (A–Z, paged by the core) and search as you
/// type through the core's search. A newer keystroke cancels the wait for an
/// older answer, so the list always shows the latest query's hits. People
/// can be narrowed to who is due a call (`dueOnly`: no call or meeting for
/// `dueDays` days, never contacted first, as the core orders them).
@Observable
@MainActor
public final class BrowseModel {
    public enum Kind { case people, companies }

    public let kind: Kind
    public private(set) var people: [Person] = []
    public private(set) var companies: [Company] = []
    public private(set) var hits: [SearchHit] = []
    /// Numbers with calls that belong to nobody yet (up to a page: the banner's count).
    public private(set) var unknownNumbers = 0
    public private(set) var loading = false
    public private(set) var error: CoreError?
    public var query = "" {
        didSet { if query != oldValue { search() } }
    }
    /// Only the people due a call.
    public var dueOnly = false

    public static let pageSize: UInt32 = 100
    /// Days without a call or meeting after which someone is due one (as the Compose app).
    public static let dueDays: UInt32 = 30
    private let core: Core
    private var searching: _Concurrency.Task<Void, Never>?

    public init(core: Core, kind: Kind) {
        self.core = core
        self.kind = kind
    }

    public var isSearching: Bool { !query.trimmingCharacters(in: .whitespaces).isEmpty }

    public func reload() async {
        loading = true
        defer { loading = false }
        do {
            switch kind {
            case .people:
                people = try await peoplePage(offset: 0)
                unknownNumbers = try await core.run { db in try db.unknownNumbers(offset: 0, limit: 50) }.count
            case .companies:
                companies = try await core.run { db in try db.companies(sort: .name, offset: 0, limit: BrowseModel.pageSize) }
            }
            if isSearching { search() }
        } catch {
            self.error = CoreError(error)
        }
    }

    /// The next page when the list is scrolled to its end.
    public func loadMore() async {
        do {
            switch kind {
            case .people:
                people += try await peoplePage(offset: UInt32(people.count))
            case .companies:
                let offset = UInt32(companies.count)
                let more = try await core.run { db in try db.companies(sort: .name, offset: offset, limit: BrowseModel.pageSize) }
                companies += more
            }
        } catch {
            self.error = CoreError(error)
        }
    }

    /// A page of everyone A–Z, or of who is due a call, as of now.
    private func peoplePage(offset: UInt32) async throws -> [Person] {
        if dueOnly {
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            return try await core.run { db in
                try db.notContactedSince(days: BrowseModel.dueDays, now: now, offset: offset, limit: BrowseModel.pageSize)
            }
        }
        return try await core.run { db in try db.people(sort: .name, offset: offset, limit: BrowseModel.pageSize) }
    }

    private func search() {
        searching?.cancel()
        let input = query
        guard isSearching else {
            hits = []
            return
        }
        let core = self.core
        searching = _Concurrency.Task {
            let found = try? await core.run { db in try db.search(input: input, offset: 0, limit: 50) }
            guard !_Concurrency.Task.isCancelled, let found else { return }
            self.hits = found
        }
    }
}

/// A person or a company with its timeline, newest first, paged by the core.
@Observable
@MainActor
public final class DetailModel {
    public let id: String
    public private(set) var person: Person?
    public private(set) var company: Company?
    public private(set) var companyPeople: [Person] = []
    public private(set) var timeline: [TimelineItem] = []
    public private(set) var timelineComplete = false
    public private(set) var error: CoreError?

    public static let pageSize: UInt32 = 30
    private let core: Core

    public init(core: Core, id: String) {
        self.core = core
        self.id = id
    }

    /// A task about this person, due in `days` days from now (none when
    /// nil); their timeline shows it once saved.
    public func createTask(title: String, days: Int?) async {
        let id = self.id
        let due = days.map { Int64(Date().addingTimeInterval(Double($0) * 86_400).timeIntervalSince1970 * 1000) }
        do {
            _ = try await core.run { db in
                try db.createTask(draft: TaskDraft(title: title, due: due, clearDue: false, person: id))
            }
            await reload()
        } catch {
            self.error = CoreError(error)
        }
    }

    public func reload() async {
        let id = self.id
        do {
            let kind = try await core.run { db in try db.kindOf(id: id) }
            if kind == "company" {
                company = try await core.run { db in try db.company(id: id) }
                companyPeople = try await core.run { db in try db.companyPeople(company: id) }
            } else {
                person = try await core.run { db in try db.person(id: id) }
            }
            timeline = try await core.run { db in try db.timeline(id: id, offset: 0, limit: DetailModel.pageSize) }
            timelineComplete = timeline.count < Int(DetailModel.pageSize)
        } catch {
            self.error = CoreError(error)
        }
    }

    public func loadMoreTimeline() async {
        guard !timelineComplete else { return }
        let id = self.id
        let offset = UInt32(timeline.count)
        do {
            let more = try await core.run { db in try db.timeline(id: id, offset: offset, limit: DetailModel.pageSize) }
            timeline += more
            timelineComplete = more.count < Int(DetailModel.pageSize)
        } catch {
            self.error = CoreError(error)
        }
    }
}

/// New or changed person: sends only the fields that changed, so an edit
/// never writes over a field it did not touch. The core reads the numbers.
@Observable
@MainActor
public final class PersonFormModel {
    public var given = ""
    public var family = ""
    public var title = ""
    public var companyName = ""
    public var phone = ""
    public var email = ""
    public private(set) var error: CoreError?
    public private(set) var saving = false

    private let core: Core
    private let id: String?
    private var original: Person?

    /// `number`: a new person's number to start from (one whose calls wait for a person).
    public init(core: Core, id: String?, number: String? = nil) {
        self.core = core
        self.id = id
        if id == nil, let number { phone = number }
    }

    public func load() async {
        guard let id else { return }
        original = try? await core.run { db in try db.person(id: id) }
        if let p = original {
            given = p.given ?? ""
            family = p.family ?? ""
            title = p.title ?? ""
            companyName = p.companyName ?? ""
            phone = p.phones.first?.number ?? ""
            email = p.emails.first ?? ""
        }
    }

    /// Returns the person's id when saved.
    public func save() async -> String? {
        saving = true
        defer { saving = false }
        let o = original
        func changed(_ new: String, _ old: String?) -> String? {
            new == (old ?? "") ? nil : new
        }
        let phones: [Phone]? = phone == (o?.phones.first?.number ?? "") ? nil
            : (phone.isEmpty ? [] : [Phone(label: .mobile, number: phone)] + (o?.phones.dropFirst() ?? []))
        let emails: [String]? = email == (o?.emails.first ?? "") ? nil
            : (email.isEmpty ? [] : [email] + (o?.emails.dropFirst() ?? []))
        let companyName = self.companyName.trimmingCharacters(in: .whitespaces)
        let companyChanged = companyName != (o?.companyName ?? "")
        let given = changed(self.given, o?.given)
        let family = changed(self.family, o?.family)
        let title = changed(self.title, o?.title)
        let id = self.id
        do {
            return try await core.run { db in
                var company: String? = nil
                if companyChanged {
                    if companyName.isEmpty {
                        company = ""
                    } else {
                        company = try db.companyNamed(name: companyName)
                    }
                }
                let draft = PersonDraft(given: given, family: family, title: title, company: company,
                                        phones: phones, emails: emails, custom: [])
                if let id {
                    try db.updatePerson(id: id, draft: draft)
                    return id
                }
                // the core gives a new person the calls waiting on their number
                return try db.createPerson(draft: draft)
            }
        } catch {
            self.error = CoreError(error)
            return nil
        }
    }
}

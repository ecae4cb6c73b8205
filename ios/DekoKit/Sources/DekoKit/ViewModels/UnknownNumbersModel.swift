import Foundation
import Observation

/// Numbers with calls that belong to nobody yet, the most recent first, each
/// to give to a person found by search: the core adds the number to their
/// phones and makes the waiting calls theirs (as the Compose screen).
@Observable
@MainActor
public final class UnknownNumbersModel {
    public private(set) var numbers: [UnknownNumber] = []
    public private(set) var hits: [SearchHit] = []
    /// The last number given, as shown, and to whom.
    public private(set) var givenNumber: String?
    public private(set) var givenTo: String?
    public private(set) var error: CoreError?
    public var query = "" {
        didSet { if query != oldValue { search() } }
    }

    private let core: Core
    private var searching: _Concurrency.Task<Void, Never>?

    public init(core: Core) {
        self.core = core
    }

    public func reload() async {
        do {
            numbers = try await core.run { db in try db.unknownNumbers(offset: 0, limit: 50) }
        } catch {
            self.error = CoreError(error)
        }
    }

    /// Gives `number` to the person `hit`.
    public func give(_ number: UnknownNumber, to hit: SearchHit) async {
        do {
            _ = try await core.run { db in try db.attachNumber(number: number.number, person: hit.id, label: "mobile") }
            givenNumber = number.display
            givenTo = hit.name
            query = ""
            await reload()
        } catch {
            self.error = CoreError(error)
        }
    }

    private func search() {
        searching?.cancel()
        let input = query
        guard !input.trimmingCharacters(in: .whitespaces).isEmpty else {
            hits = []
            return
        }
        let core = self.core
        searching = _Concurrency.Task {
            let found = try? await core.run { db in try db.search(input: input, offset: 0, limit: 20) }
            guard !_Concurrency.Task.isCancelled, let found else { return }
            self.hits = found.filter { $0.kind == "person" }
        }
    }
}

/// A number is its own identity in lists and sheets.
extension UnknownNumber: Identifiable {
    public var id: String { number }
}

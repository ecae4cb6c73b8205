import XCTest
@testable import DekoKit

/// DekoKit over the real library (iOS simulator): the view-models reach the
/// core off the main actor and show its answers.
@MainActor
final class DekoKitTests: XCTestCase {
    private var dir: URL!

    override func setUp() async throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
    }

    override func tearDown() async throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func testFoundTeamAddPersonSearchAndLogCall() async throws {
        let app = AppModel(directory: dir)
        await app.open()
        XCTAssertEqual(app.phase, .firstRun)
        let core = try XCTUnwrap(app.core)

        _ = try await core.run { db in try db.createTeam(teamName: "Acme", personName: "Alena") }
        try await app.refreshTeam()
        XCTAssertEqual(app.phase, .ready(teamName: "Acme"))

        let form = PersonFormModel(core: core, id: nil)
        form.given = "Jana"
        form.family = "Nováková"
        form.phone = "+420 603 123 456"
        let id = await form.save()
        XCTAssertNotNil(id)

        let browse = BrowseModel(core: core, kind: .people)
        await browse.reload()
        XCTAssertEqual(browse.people.map(\.displayName), ["Jana Nováková"])

        let hits = try await core.run { db in try db.search(input: "novakova", offset: 0, limit: 10) }
        XCTAssertEqual(hits.first?.id, id)

        let sheet = CallSheetModel(core: core, prefill: CallPrefill(number: "603123456", start: Date(), duration: 270),
                                   followUpTitle: { "Follow up with \($0)" })
        sheet.followUpDays = 3
        sheet.outcome = .connected
        sheet.save()
        for _ in 0..<100 where sheet.logged == nil {
            try await _Concurrency.Task.sleep(nanoseconds: 20_000_000)
        }
        XCTAssertEqual(sheet.logged?.person?.id, id)

        let tasks = TasksModel(core: core)
        await tasks.reload()
        XCTAssertEqual(tasks.upcoming.map(\.title), ["Follow up with Jana Nováková"])
    }

    func testBadTicketIsTheCoresError() async throws {
        let app = AppModel(directory: dir)
        await app.open()
        let first = FirstRunModel(app: app)
        first.mode = .join
        first.yourName = "Petr"
        first.ticket = "DEKO:nonsense"
        first.submit()
        for _ in 0..<200 where first.error == nil {
            try await _Concurrency.Task.sleep(nanoseconds: 20_000_000)
        }
        XCTAssertEqual(first.error?.kind, .badTicket)
    }

    func testAFailedSessionReachesThePeerWithItsKindAndReason() async throws {
        let app = AppModel(directory: dir)
        app.handle(.started(peer: "AB12-CD34", via: .relay))
        app.handle(.failed(peer: "AB12-CD34", error: CoreError(kind: ErrorKind.relayRefused, message: "the relay refused: full", reason: "full")))
        let peer = try XCTUnwrap(app.peers["AB12-CD34"])
        XCTAssertFalse(peer.running)
        XCTAssertEqual(peer.error?.kind, .relayRefused)
        XCTAssertEqual(peer.error?.reason, "full")
    }
}

import BackgroundTasks
import DekoKit
import Foundation

/// Background sync with BGTaskScheduler: an app refresh task
/// (`app.deko.sync`, listed in Info.plist's BGTaskSchedulerPermittedIdentifiers)
/// syncs with every known peer, about every 15 minutes when iOS allows it.
/// In the foreground, Bonjour discovery finds team devices on the same
/// Wi-Fi.
@MainActor
final class BackgroundSync {
    static let identifier = "app.deko.sync"
    static let interval: TimeInterval = 15 * 60
    private let app: AppModel
    private var discovery: BonjourDiscovery?

    init(app: AppModel) {
        self.app = app
    }

    /// Must run before the app finishes launching.
    nonisolated func register() {
        BGTaskScheduler.shared.register(forTaskWithIdentifier: Self.identifier, using: nil) { task in
            guard let refresh = task as? BGAppRefreshTask else { return }
            _Concurrency.Task { @MainActor in await self.run(refresh) }
        }
    }

    func schedule() {
        let request = BGAppRefreshTaskRequest(identifier: Self.identifier)
        request.earliestBeginDate = Date(timeIntervalSinceNow: Self.interval)
        try? BGTaskScheduler.shared.submit(request)
    }

    /// Announce and look for team devices on the local network (the core
    /// decides who is a team device; auto-sync stays as the user set it).
    func startDiscovery() {
        guard let core = app.core, case .ready = app.phase else { return }
        let platform = BonjourDiscovery(serviceType: discoveryServiceType())
        discovery = platform
        _Concurrency.Task {
            _ = try? await core.ensureSync()
            try? await core.run { db in try db.startDiscovery(platform: platform, intervalMs: 30_000) }
        }
    }

    private func run(_ task: BGAppRefreshTask) async {
        schedule()
        if app.core == nil { await app.open() }
        guard let core = app.core, case .ready = app.phase else {
            task.setTaskCompleted(success: false)
            return
        }
        let work = _Concurrency.Task {
            _ = try await core.ensureSync()
            _ = try await core.runAsync { db in try await db.sync(target: .allKnown) }
        }
        task.expirationHandler = { work.cancel() }
        let ok = (try? await work.value) != nil
        app.dataChanged()
        task.setTaskCompleted(success: ok)
    }
}

import DekoKit
import SwiftUI

@main
struct DekoApp: App {
    @State private var app: AppModel
    @Environment(\.scenePhase) private var scenePhase
    private let calls: CallObserver
    private let background: BackgroundSync

    init() {
        let support = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
        let model = AppModel(directory: support.appendingPathComponent("Deko", isDirectory: true))
        _app = State(initialValue: model)
        calls = CallObserver(app: model)
        background = BackgroundSync(app: model)
        background.register()
    }

    var body: some Scene {
        WindowGroup {
            RootView()
                .environment(app)
                .environment(\.dial, { number in calls.dial(number) })
                .task {
                    await app.open()
                    background.startDiscovery()
                    background.schedule()
                }
                .onOpenURL { url in
                    // deko: links (an invitation or a device's ticket) from Safari, Messages, a QR code
                    if url.scheme?.lowercased() == "deko" {
                        app.openedTicket = url.absoluteString
                    }
                }
        }
        .onChange(of: scenePhase) { _, phase in
            if phase == .background {
                background.schedule()
            }
        }
    }
}

/// Places a call through `tel:` (the call observer then offers the log sheet).
private struct DialKey: EnvironmentKey {
    static let defaultValue: @MainActor (String) -> Void = { _ in }
}

extension EnvironmentValues {
    var dial: @MainActor (String) -> Void {
        get { self[DialKey.self] }
        set { self[DialKey.self] = newValue }
    }
}

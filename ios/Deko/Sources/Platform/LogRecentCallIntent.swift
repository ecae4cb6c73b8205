import AppIntents
import DekoKit
import Foundation

/// "Log recent call" (Shortcuts, Siri, the lock screen, the Action button):
/// opens the app on the log sheet for a call just made from the phone app.
/// iOS gives the app neither the number nor the time of that call, so the
/// sheet starts now and the core matches whatever number is typed.
struct LogRecentCallIntent: AppIntent {
    static var title: LocalizedStringResource = "Log recent call"
    static var description = IntentDescription("Opens Deko's log-a-call sheet.")
    static var openAppWhenRun = true

    @MainActor
    func perform() async throws -> some IntentResult {
        IntentInbox.post(CallPrefill(start: Date()))
        return .result()
    }
}

struct DekoShortcuts: AppShortcutsProvider {
    static var appShortcuts: [AppShortcut] {
        AppShortcut(
            intent: LogRecentCallIntent(),
            phrases: ["Log recent call in \(.applicationName)", "Log a call in \(.applicationName)"],
            shortTitle: "Log recent call",
            systemImageName: "phone.badge.plus"
        )
    }
}

/// Hands an intent's request to the app model, which may not exist yet when
/// the intent runs (a cold start): kept until the root view takes it.
@MainActor
enum IntentInbox {
    static var pending: CallPrefill?
    static let notification = Notification.Name("deko.intent.call")

    static func post(_ prefill: CallPrefill) {
        pending = prefill
        NotificationCenter.default.post(name: notification, object: nil)
    }

    static func take() -> CallPrefill? {
        defer { pending = nil }
        return pending
    }
}

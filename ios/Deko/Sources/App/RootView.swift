import Combine
import DekoKit
import SwiftUI

/// The places of the app, as on Android: people (and companies), tasks,
/// deals, conflicts, team & sync, settings. (Not `Section`: a type of this
/// module by that name would hide SwiftUI's `Section`, which the screens use.)
enum AppSection: String, CaseIterable, Identifiable, Hashable {
    case people, companies, tasks, deals, conflicts, team, settings
    var id: String { rawValue }

    var title: String {
        switch self {
        case .people: t(.People)
        case .companies: t(.Companies)
        case .tasks: t(.Tasks)
        case .deals: t(.Deals)
        case .conflicts: t(.Conflicts)
        case .team: t(.TeamSync)
        case .settings: t(.Settings)
        }
    }

    var icon: String {
        switch self {
        case .people: "person.2"
        case .companies: "building.2"
        case .tasks: "checklist"
        case .deals: "chart.bar.doc.horizontal"
        case .conflicts: "exclamationmark.triangle"
        case .team: "arrow.triangle.2.circlepath"
        case .settings: "gearshape"
        }
    }
}

struct RootView: View {
    @Environment(AppModel.self) private var app

    var body: some View {
        switch app.phase {
        case .opening:
            ProgressView(t(.Loading))
        case .failed(let message):
            ContentUnavailableView(t(.ErrorTitle), systemImage: "exclamationmark.octagon", description: Text(message))
        case .firstRun:
            if let core = app.core {
                FirstRunView(model: FirstRunModel(app: app), core: core)
            }
        case .ready:
            if let core = app.core {
                MainView(core: core)
            }
        }
    }
}

/// Compact width (iPhone): a tab bar. Regular width (iPad, from 840 points
/// like Android's rail): a NavigationSplitView with list and detail side by
/// side.
struct MainView: View {
    let core: Core
    @Environment(AppModel.self) private var app
    @Environment(\.horizontalSizeClass) private var sizeClass
    @State private var section: AppSection? = .people
    @State private var selection: String?

    var body: some View {
        @Bindable var app = app
        Group {
            if sizeClass == .regular {
                NavigationSplitView {
                    List(AppSection.allCases, selection: $section) { s in
                        Label(s.title, systemImage: s.icon).tag(s)
                            .badge(s == .conflicts ? Int(app.conflictCount) : 0)
                    }
                    .navigationTitle(t(.AppName))
                } content: {
                    sectionContent(section ?? .people, selection: $selection)
                } detail: {
                    if let id = selection, section == .people || section == .companies {
                        DetailView(model: DetailModel(core: core, id: id), core: core)
                            .id(id)
                    } else {
                        ContentUnavailableView(t(.PickSomeone), systemImage: "person.crop.circle")
                    }
                }
            } else {
                TabView {
                    ForEach([AppSection.people, .tasks, .deals, .team, .settings]) { s in
                        NavigationStack {
                            sectionContent(s, selection: nil)
                        }
                        .tabItem { Label(s == .team ? t(.NavTeam) : s.title, systemImage: s.icon) }
                    }
                }
            }
        }
        .task { if let p = IntentInbox.take() { app.pendingCall = p } }
        .onReceive(NotificationCenter.default.publisher(for: IntentInbox.notification)) { _ in
            if let p = IntentInbox.take() { app.pendingCall = p }
        }
        .sheet(item: $app.pendingCall) { prefill in
            CallSheetView(model: CallSheetModel(core: core, prefill: prefill, followUpTitle: { t(.FollowUpTitle, $0) }))
        }
    }

    @ViewBuilder
    private func sectionContent(_ s: AppSection, selection: Binding<String?>?) -> some View {
        switch s {
        case .people:
            BrowseView(model: BrowseModel(core: core, kind: .people), core: core, selection: selection)
        case .companies:
            BrowseView(model: BrowseModel(core: core, kind: .companies), core: core, selection: selection)
        case .tasks:
            TasksView(model: TasksModel(core: core))
        case .deals:
            DealsView(model: DealsModel(core: core))
        case .conflicts:
            ConflictsView(model: ConflictsModel(core: core))
        case .team:
            TeamView(model: TeamModel(app: app, core: core))
        case .settings:
            SettingsView(model: SettingsModel(core: core))
        }
    }
}

/// A core failure, in the core's words.
struct ErrorBanner: View {
    let error: CoreError?

    var body: some View {
        if let error {
            Label(explain(error), systemImage: "exclamationmark.triangle")
                .font(.callout)
                .foregroundStyle(.red)
                .accessibilityLabel("\(t(.ErrorTitle)): \(explain(error))")
        }
    }
}

/// Times in the user's locale.
enum Fmt {
    static func date(_ ms: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(ms) / 1000).formatted(date: .abbreviated, time: .shortened)
    }

    static func day(_ ms: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(ms) / 1000).formatted(date: .abbreviated, time: .omitted)
    }

    /// Minor units in a currency, e.g. 1 250 000 CZK.
    static func money(_ minor: Int64, _ currency: String) -> String {
        let value = Decimal(minor) / 100
        return value.formatted(.currency(code: currency))
    }
}

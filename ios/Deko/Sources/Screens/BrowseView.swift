import DekoKit
import SwiftUI

/// People or companies, A–Z, with search as you type through the core.
struct BrowseView: View {
    @State var model: BrowseModel
    let core: Core
    /// iPad: the split view's selection; iPhone: nil, rows push the detail.
    var selection: Binding<String?>?
    @Environment(AppModel.self) private var app
    @State private var adding = false

    var body: some View {
        list
            .searchable(text: $model.query, prompt: t(.SearchHint))
            .navigationTitle(model.kind == .people ? t(.People) : t(.Companies))
            .toolbar {
                if model.kind == .people {
                    ToolbarItem(placement: .primaryAction) {
                        Button { adding = true } label: { Label(t(.AddPerson), systemImage: "person.badge.plus") }
                    }
                    ToolbarItem(placement: .topBarLeading) {
                        Toggle(isOn: $model.dueOnly) { Label(t(.DueACall), systemImage: "phone.arrow.up.right") }
                            .toggleStyle(.button)
                    }
                }
                ToolbarItem(placement: .secondaryAction) {
                    Button { app.pendingCall = CallPrefill() } label: { Label(t(.LogCall), systemImage: "phone.badge.plus") }
                }
            }
            .sheet(isPresented: $adding) {
                PersonFormView(model: PersonFormModel(core: core, id: nil)) { _ in adding = false }
            }
            .safeAreaInset(edge: .top) {
                if model.kind == .people, model.unknownNumbers > 0 {
                    NavigationLink {
                        UnknownNumbersView(model: UnknownNumbersModel(core: core), core: core)
                    } label: {
                        Label(t(.UnknownWaiting, model.unknownNumbers), systemImage: "phone.badge.waveform")
                            .frame(maxWidth: .infinity, alignment: .leading)
                            .padding(8)
                            .background(.blue.opacity(0.12))
                    }
                }
                if app.conflictCount > 0, selection == nil {
                    NavigationLink {
                        ConflictsView(model: ConflictsModel(core: core))
                    } label: {
                        Label(t(.ConflictsWaiting, app.conflictCount), systemImage: "exclamationmark.triangle")
                            .frame(maxWidth: .infinity, alignment: .leading)
                            .padding(8)
                            .background(.yellow.opacity(0.2))
                    }
                }
            }
            .task(id: app.dataVersion) { await model.reload() }
            .onChange(of: model.dueOnly) { _Concurrency.Task { await model.reload() } }
    }

    @ViewBuilder
    private var list: some View {
        if model.isSearching {
            if model.hits.isEmpty {
                ContentUnavailableView(t(.NoResults, model.query), systemImage: "magnifyingglass",
                                       description: Text(t(.NoResultsHint)))
            } else {
                List(model.hits, id: \.id, selection: selection) { hit in
                    row(id: hit.id, title: hit.name, subtitle: "\(kindName(hit.kind)) · \(hit.snippet)")
                }
            }
        } else if model.kind == .people {
            if model.people.isEmpty, !model.loading, model.dueOnly {
                ContentUnavailableView(t(.NobodyDue, Int(BrowseModel.dueDays)), systemImage: "checkmark.circle",
                                       description: Text(t(.NobodyDueHint, Int(BrowseModel.dueDays))))
            } else if model.people.isEmpty, !model.loading {
                ContentUnavailableView(t(.NoPeople), systemImage: "person.2", description: Text(t(.NoPeopleHint)))
            } else {
                List(model.people, id: \.id, selection: selection) { p in
                    // who is due a call: when they last heard from us ("never" first)
                    let last = model.dueOnly ? t(.LastContact, p.lastContact.map { Fmt.day($0) } ?? t(.Never)) : nil
                    row(id: p.id, title: p.displayName, subtitle: [p.title, p.companyName, last].compactMap { $0 }.joined(separator: ", "))
                        .onAppear { if p.id == model.people.last?.id { _Concurrency.Task { await model.loadMore() } } }
                }
            }
        } else {
            if model.companies.isEmpty, !model.loading {
                ContentUnavailableView(t(.NoCompanies), systemImage: "building.2", description: Text(t(.NoCompaniesHint)))
            } else {
                List(model.companies, id: \.id, selection: selection) { c in
                    row(id: c.id, title: c.name ?? "—", subtitle: c.industry ?? "")
                        .onAppear { if c.id == model.companies.last?.id { _Concurrency.Task { await model.loadMore() } } }
                }
            }
        }
    }

    @ViewBuilder
    private func row(id: String, title: String, subtitle: String) -> some View {
        let label = VStack(alignment: .leading) {
            Text(title).font(.body)
            if !subtitle.isEmpty { Text(subtitle).font(.caption).foregroundStyle(.secondary).lineLimit(1) }
        }
        if selection != nil {
            label.tag(id)
        } else {
            NavigationLink { DetailView(model: DetailModel(core: core, id: id), core: core) } label: { label }
        }
    }
}

/// The kinds the core's search and timeline name, in the UI's language.
func kindName(_ kind: String) -> String {
    switch kind {
    case "person": t(.KindPerson)
    case "company": t(.KindCompany)
    case "deal": t(.KindDeal)
    case "task": t(.KindTask)
    case "call": t(.KindCall)
    case "meeting": t(.KindMeeting)
    case "note": t(.KindNote)
    default: kind
    }
}

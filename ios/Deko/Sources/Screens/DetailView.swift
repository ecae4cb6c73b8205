import DekoKit
import SwiftUI

/// A person or a company: contact details, the people of a company, and the
/// timeline (calls, meetings, notes, tasks, deals; newest first, paged).
struct DetailView: View {
    @State var model: DetailModel
    let core: Core
    @Environment(AppModel.self) private var app
    @Environment(\.dial) private var dial
    @State private var editing = false
    @State private var addingTask = false
    @State private var addingDeal = false

    var body: some View {
        List {
            if let p = model.person {
                Section {
                    if let title = p.title { Text(title) }
                    if let company = p.companyName { Text(company).foregroundStyle(.secondary) }
                    Text(t(.LastContact, p.lastContact.map(Fmt.date) ?? t(.Never)))
                        .font(.footnote).foregroundStyle(.secondary)
                }
                phones(p.phones, personId: p.id)
                emails(p.emails)
                if let address = p.address { Section(t(.Address)) { Text(address) } }
                if !p.tags.isEmpty { Section(t(.Tags)) { Text(p.tags.joined(separator: ", ")) } }
                if let note = p.note { Section(t(.Note)) { Text(note) } }
            }
            if let c = model.company {
                phones(c.phones, personId: nil)
                emails(c.emails)
                if let web = c.website { Section(t(.Website)) { Text(web) } }
                if let industry = c.industry { Section(t(.Industry)) { Text(industry) } }
                if !model.companyPeople.isEmpty {
                    Section(t(.PeopleAtCompany)) {
                        ForEach(model.companyPeople, id: \.id) { p in
                            NavigationLink(p.displayName) { DetailView(model: DetailModel(core: core, id: p.id), core: core) }
                        }
                    }
                }
            }
            Section(t(.Timeline)) {
                if model.timeline.isEmpty {
                    ContentUnavailableView(t(.NoTimeline), systemImage: "clock", description: Text(t(.NoTimelineHint)))
                }
                ForEach(model.timeline, id: \.id) { item in
                    VStack(alignment: .leading) {
                        Text(timelineKind(item.kind)).font(.caption).foregroundStyle(.secondary)
                        Text(item.summary)
                        Text(Fmt.date(item.at)).font(.caption2).foregroundStyle(.secondary)
                    }
                    .onAppear {
                        if item.id == model.timeline.last?.id { _Concurrency.Task { await model.loadMoreTimeline() } }
                    }
                }
            }
            ErrorBanner(error: model.error)
        }
        .navigationTitle(model.person?.displayName ?? model.company?.name ?? "")
        .toolbar {
            ToolbarItem(placement: .primaryAction) {
                Button { app.pendingCall = CallPrefill(personId: model.person?.id) } label: {
                    Label(t(.LogCall), systemImage: "phone.badge.plus")
                }
            }
            if model.person != nil {
                ToolbarItem(placement: .secondaryAction) {
                    Button(t(.Edit)) { editing = true }
                }
                ToolbarItem(placement: .secondaryAction) {
                    Button(t(.NewTask)) { addingTask = true }
                }
            }
            if model.company != nil {
                ToolbarItem(placement: .secondaryAction) {
                    Button(t(.NewDeal)) { addingDeal = true }
                }
            }
        }
        .sheet(isPresented: $addingDeal) {
            if let c = model.company {
                NewDealView(model: DealsModel(core: core), customer: (id: c.id, name: c.name ?? "")) {
                    addingDeal = false
                    _Concurrency.Task { await model.reload() }
                }
            }
        }
        .sheet(isPresented: $addingTask) {
            NewTaskView { title, days in
                addingTask = false
                guard let title else { return }
                _Concurrency.Task { await model.createTask(title: title, days: days) }
            }
        }
        .sheet(isPresented: $editing) {
            PersonFormView(model: PersonFormModel(core: core, id: model.id)) { _ in
                editing = false
                _Concurrency.Task { await model.reload() }
            }
        }
        .task(id: app.dataVersion) { await model.reload() }
    }

    @ViewBuilder
    private func phones(_ phones: [Phone], personId: String?) -> some View {
        if !phones.isEmpty {
            Section(t(.Phones)) {
                ForEach(phones, id: \.number) { phone in
                    Button {
                        dial(phone.number)
                    } label: {
                        // shown as the core groups it; dialled as stored (E.164)
                        LabeledContent(phoneLabel(phone.label), value: phone.display)
                    }
                    .accessibilityLabel(t(.CallNumber, phone.display))
                }
            }
        }
    }

    @ViewBuilder
    private func emails(_ emails: [String]) -> some View {
        if !emails.isEmpty {
            Section(t(.Emails)) {
                ForEach(emails, id: \.self) { email in
                    if let url = URL(string: "mailto:\(email)") {
                        Link(email, destination: url).accessibilityLabel(t(.WriteEmail, email))
                    }
                }
            }
        }
    }
}

func phoneLabel(_ label: PhoneLabel) -> String {
    switch label {
    case .mobile: t(.PhoneMobile)
    case .work: t(.PhoneWork)
    case .home: t(.PhoneHome)
    case .other: t(.PhoneOther)
    }
}

func timelineKind(_ kind: TimelineKind) -> String {
    switch kind {
    case .call: t(.KindCall)
    case .missed: t(.KindMissed)
    case .meeting: t(.KindMeeting)
    case .note: t(.KindNote)
    case .task: t(.KindTask)
    case .deal: t(.KindDeal)
    }
}

/// New or changed person.
struct PersonFormView: View {
    @State var model: PersonFormModel
    let done: (String?) -> Void

    var body: some View {
        NavigationStack {
            Form {
                TextField(t(.GivenName), text: $model.given).textContentType(.givenName)
                TextField(t(.FamilyName), text: $model.family).textContentType(.familyName)
                TextField(t(.Title), text: $model.title).textContentType(.jobTitle)
                TextField(t(.Company), text: $model.companyName).textContentType(.organizationName)
                TextField(t(.PhoneNumber), text: $model.phone).keyboardType(.phonePad).textContentType(.telephoneNumber)
                TextField(t(.Email), text: $model.email).keyboardType(.emailAddress).textInputAutocapitalization(.never)
                ErrorBanner(error: model.error)
            }
            .navigationTitle(t(.NewPerson))
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button(t(.Cancel)) { done(nil) } }
                ToolbarItem(placement: .confirmationAction) {
                    Button(t(.Save)) {
                        _Concurrency.Task {
                            if let id = await model.save() { done(id) }
                        }
                    }
                    .disabled(model.saving)
                }
            }
            .task { await model.load() }
        }
    }
}

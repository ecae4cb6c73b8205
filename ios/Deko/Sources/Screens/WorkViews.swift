import DekoKit
import SwiftUI

/// Tasks: overdue, today, upcoming. Tap the circle to mark one done.
struct TasksView: View {
    @State var model: TasksModel
    @Environment(AppModel.self) private var app
    @State private var adding = false

    var body: some View {
        List {
            if model.overdue.isEmpty, model.today.isEmpty, model.upcoming.isEmpty {
                ContentUnavailableView(t(.NoTasks), systemImage: "checklist", description: Text(t(.NoTasksHint)))
            }
            group(t(.Overdue), model.overdue)
            group(t(.Today), model.today)
            group(t(.Upcoming), model.upcoming)
            ErrorBanner(error: model.error)
        }
        .navigationTitle(t(.Tasks))
        .toolbar {
            Button { adding = true } label: { Label(t(.NewTask), systemImage: "plus") }
        }
        .sheet(isPresented: $adding) {
            NewTaskView { title, days in
                adding = false
                guard let title else { return }
                let due = days.map { Date().addingTimeInterval(Double($0) * 86_400) }
                _Concurrency.Task { await model.create(title: title, due: due, personId: nil) }
            }
        }
        .task(id: app.dataVersion) { await model.reload() }
    }

    @ViewBuilder
    private func group(_ title: String, _ tasks: [CoreTask]) -> some View {
        if !tasks.isEmpty {
            Section(title) {
                ForEach(tasks, id: \.id) { task in
                    HStack {
                        Button {
                            _Concurrency.Task { await model.setDone(task.id, !task.done) }
                        } label: {
                            Image(systemName: task.done ? "checkmark.circle.fill" : "circle")
                        }
                        .buttonStyle(.borderless)
                        .accessibilityLabel(task.done ? t(.MarkOpen, task.title) : t(.MarkDone, task.title))
                        VStack(alignment: .leading) {
                            Text(task.title)
                            Text([task.due.map { t(.Due, Fmt.day($0)) } ?? t(.NoDue), task.personName ?? task.companyName]
                                .compactMap { $0 }.joined(separator: " · "))
                                .font(.caption).foregroundStyle(.secondary)
                        }
                    }
                }
            }
        }
    }
}

/// What to do and when: in a day, three or a week, or no due date.
struct NewTaskView: View {
    /// The title and the due date in days from now, or nil when cancelled.
    let done: (String?, Int?) -> Void
    @State private var title = ""
    @State private var days: Int? = 1

    var body: some View {
        NavigationStack {
            Form {
                TextField(t(.TaskTitle), text: $title)
                Picker(t(.When), selection: $days) {
                    ForEach([1, 3, 7], id: \.self) { d in Text(t(.FollowUpDays, d)).tag(Optional(d)) }
                    Text(t(.NoDue)).tag(Int?.none)
                }
                .pickerStyle(.segmented)
            }
            .navigationTitle(t(.NewTask))
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button(t(.Cancel)) { done(nil, nil) } }
                ToolbarItem(placement: .confirmationAction) {
                    Button(t(.Add)) { done(title, days) }
                        .disabled(title.trimmingCharacters(in: .whitespaces).isEmpty)
                }
            }
        }
        .presentationDetents([.medium])
    }
}

/// A deal's title, value and customer; it starts in the pipeline's first
/// stage. Made on a company's card, `customer` is that company (id, name)
/// and there is no customer field.
struct NewDealView: View {
    let model: DealsModel
    var customer: (id: String, name: String)? = nil
    let done: () -> Void
    @State private var title = ""
    @State private var value = ""
    @State private var currency = ""
    @State private var company = ""
    @State private var refusal: DealsModel.Refusal?
    @State private var saving = false

    var body: some View {
        NavigationStack {
            Form {
                TextField(t(.DealTitle), text: $title)
                if case .title(let message) = refusal { Text(message).font(.caption).foregroundStyle(.red) }
                HStack {
                    TextField(t(.Value), text: $value).keyboardType(.decimalPad)
                    TextField(t(.Currency), text: $currency)
                        .textInputAutocapitalization(.characters)
                        .frame(maxWidth: 80)
                }
                if case .value = refusal { Text(t(.InvalidAmount)).font(.caption).foregroundStyle(.red) }
                if case .currency(let message) = refusal { Text(message).font(.caption).foregroundStyle(.red) }
                if customer == nil {
                    TextField(t(.Company), text: $company).textContentType(.organizationName)
                }
            }
            .navigationTitle(customer.map { "\(t(.NewDeal)) · \($0.name)" } ?? t(.NewDeal))
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button(t(.Cancel)) { done() } }
                ToolbarItem(placement: .confirmationAction) {
                    Button(t(.Add)) {
                        saving = true
                        _Concurrency.Task {
                            refusal = await model.create(title: title, value: value, currency: currency, company: company,
                                                         companyId: customer?.id)
                            saving = false
                            if refusal == nil { done() }
                        }
                    }
                    .disabled(title.trimmingCharacters(in: .whitespaces).isEmpty || saving)
                }
            }
            .task { if currency.isEmpty { currency = await model.defaultCurrency() } }
        }
    }
}

/// Deals by stage: the count and the totals per currency (the core's sums),
/// each deal movable to another stage.
struct DealsView: View {
    @State var model: DealsModel
    @Environment(AppModel.self) private var app
    @State private var adding = false

    var body: some View {
        List {
            ForEach(model.columns, id: \.stage.id) { column in
                Section {
                    if column.deals.isEmpty {
                        Text(t(.NoDeals)).foregroundStyle(.secondary)
                    }
                    ForEach(column.deals, id: \.id) { deal in
                        HStack {
                            VStack(alignment: .leading) {
                                Text(deal.title)
                                if let company = deal.companyName {
                                    Text(company).font(.caption).foregroundStyle(.secondary)
                                }
                            }
                            Spacer()
                            if let v = deal.value { Text(Fmt.money(v.minor, v.currency)).foregroundStyle(.secondary) }
                        }
                        .contextMenu {
                            ForEach(model.columns.filter { $0.stage.id != column.stage.id }, id: \.stage.id) { target in
                                Button(target.stage.name) {
                                    _Concurrency.Task { await model.move(deal: deal.id, to: target.stage.id) }
                                }
                            }
                        }
                        .accessibilityHint(t(.MoveDeal, deal.title))
                    }
                } header: {
                    VStack(alignment: .leading) {
                        Text(stageTitle(column.stage))
                        Text(([t(.DealsCount, column.count)] + column.totals.map { Fmt.money($0.minor, $0.currency) })
                            .joined(separator: " · "))
                            .font(.caption)
                    }
                }
            }
            ErrorBanner(error: model.error)
        }
        .navigationTitle(t(.Pipeline))
        .toolbar {
            Button { adding = true } label: { Label(t(.NewDeal), systemImage: "plus") }
        }
        .sheet(isPresented: $adding) {
            NewDealView(model: model) { adding = false }
        }
        .task(id: app.dataVersion) { await model.reload() }
    }

    private func stageTitle(_ stage: Stage) -> String {
        switch stage.outcome {
        case .won: "\(stage.name) (\(t(.StageWon)))"
        case .lost: "\(stage.name) (\(t(.StageLost)))"
        case .open: stage.name
        }
    }
}

/// Conflicts: every value written at once on two devices; keep one, or
/// write a new one.
struct ConflictsView: View {
    @State var model: ConflictsModel
    @Environment(AppModel.self) private var app
    @State private var writing: Conflict?
    @State private var newValue = ""

    var body: some View {
        List {
            if model.conflicts.isEmpty {
                ContentUnavailableView(t(.NoConflicts), systemImage: "checkmark.seal", description: Text(t(.NoConflictsHint)))
            }
            ForEach(model.conflicts, id: \.self) { conflict in
                Section(t(.ConflictOn, conflict.name ?? kindName(conflict.kind),
                          conflict.field == "_deleted" ? t(.FieldDeleted) : conflict.field)) {
                    ForEach(conflict.values, id: \.self) { value in
                        VStack(alignment: .leading) {
                            Text(valueText(value.value))
                            Text(t(.WrittenBy, value.by ?? value.authorFingerprint, Fmt.date(value.writtenAt)))
                                .font(.caption).foregroundStyle(.secondary)
                            Button(t(.KeepThis)) {
                                _Concurrency.Task {
                                    await model.keep(conflict, value.value)
                                    app.dataChanged()
                                }
                            }
                            .buttonStyle(.bordered)
                        }
                    }
                    Button(t(.WriteNew)) { writing = conflict }
                }
            }
            ErrorBanner(error: model.error)
        }
        .navigationTitle(t(.Conflicts))
        .alert(t(.NewValue), isPresented: Binding(get: { writing != nil }, set: { if !$0 { writing = nil } })) {
            TextField(t(.NewValue), text: $newValue)
            Button(t(.Cancel), role: .cancel) { writing = nil }
            Button(t(.UseNew)) {
                if let c = writing {
                    let text = newValue
                    _Concurrency.Task {
                        await model.write(c, text: text)
                        app.dataChanged()
                    }
                }
                writing = nil
                newValue = ""
            }
        }
        .task(id: app.dataVersion) { await model.reload() }
    }
}

/// A field value in words (the core's typed values).
func valueText(_ v: FieldValue) -> String {
    switch v {
    case .null: "—"
    case .bool(let b): b ? "✓" : "✗"
    case .int(let i): String(i)
    case .float(let f): f.formatted()
    case .text(let s): s
    case .time(let ms): Fmt.date(ms)
    case .date(let days): Fmt.day(Int64(days) * 86_400_000)
    case .ref(let id): id
    case .money(let minor, let currency): Fmt.money(minor, currency)
    case .texts(let values): values.joined(separator: ", ")
    case .refs(let ids): ids.joined(separator: ", ")
    case .labeled(let values): values.map { "\($0.label): \($0.value)" }.joined(separator: ", ")
    }
}

import DekoKit
import SwiftUI

/// Log a call: the number (matched by the core as you type), when and how
/// long, direction, outcome chips, a note and a follow-up task in 1, 3 or 7
/// days. An unknown number can be attached to a person.
struct CallSheetView: View {
    @State var model: CallSheetModel
    @Environment(\.dismiss) private var dismiss
    @Environment(AppModel.self) private var app

    var body: some View {
        NavigationStack {
            Form {
                Section {
                    TextField(t(.Number), text: $model.number).keyboardType(.phonePad)
                    switch model.match {
                    case .person(let p): Text(t(.MatchedTo, p.displayName)).foregroundStyle(.green)
                    case .company(let c): Text(t(.MatchedTo, c.name ?? "")).foregroundStyle(.green)
                    case .unknown: unknown
                    case .none: EmptyView()
                    }
                }
                Section {
                    DatePicker(t(.Start), selection: $model.start)
                    TextField(t(.DurationMin), text: $model.minutes).keyboardType(.numbersAndPunctuation)
                    if model.invalidMinutes { Text(t(.InvalidMinutes)).foregroundStyle(.red) }
                    Picker(t(.Direction), selection: $model.direction) {
                        Text(t(.DirOut)).tag(Direction.out)
                        Text(t(.DirIn)).tag(Direction.`in`)
                        Text(t(.DirMissed)).tag(Direction.missed)
                    }
                    .pickerStyle(.segmented)
                }
                Section(t(.Outcome)) {
                    chips(CallOutcome.allCases.map { ($0, outcomeName($0)) }, selected: model.outcome) { model.outcome = $0 }
                }
                Section(t(.Note)) {
                    TextField(t(.Note), text: $model.note, axis: .vertical).lineLimit(3...8)
                }
                Section(t(.FollowUp)) {
                    chips([(0, t(.FollowUpNone))] + CallSheetModel.followUpChoices.map { ($0, t(.FollowUpDays, $0)) },
                          selected: model.followUpDays ?? 0) { model.followUpDays = $0 == 0 ? nil : $0 }
                }
                ErrorBanner(error: model.error)
            }
            .navigationTitle(t(.LogCall))
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button(t(.Cancel)) { dismiss() } }
                ToolbarItem(placement: .confirmationAction) {
                    Button(t(.Save)) { model.save() }.disabled(model.saving)
                }
            }
            .onChange(of: model.logged) { _, logged in
                if logged != nil {
                    app.dataChanged()
                    dismiss()
                }
            }
        }
    }

    @ViewBuilder
    private var unknown: some View {
        Text(t(.UnknownNumber)).foregroundStyle(.orange)
        TextField(t(.AttachTo), text: $model.attachQuery)
        ForEach(model.attachHits, id: \.id) { hit in
            Button {
                model.attachTo = hit
            } label: {
                HStack {
                    Text(hit.name)
                    if model.attachTo?.id == hit.id { Spacer(); Image(systemName: "checkmark") }
                }
            }
        }
    }

    private func chips<T: Hashable>(_ items: [(T, String)], selected: T?, pick: @escaping (T) -> Void) -> some View {
        ScrollView(.horizontal, showsIndicators: false) {
            HStack {
                ForEach(items, id: \.0) { item in
                    Button(item.1) { pick(item.0) }
                        .buttonStyle(.bordered)
                        .tint(item.0 == selected ? .accentColor : .secondary)
                        .accessibilityAddTraits(item.0 == selected ? .isSelected : [])
                }
            }
        }
    }
}

func outcomeName(_ o: CallOutcome) -> String {
    switch o {
    case .connected: t(.OutConnected)
    case .noAnswer: t(.OutNoAnswer)
    case .leftMessage: t(.OutLeftMessage)
    case .busy: t(.OutBusy)
    case .wrongNumber: t(.OutWrongNumber)
    }
}

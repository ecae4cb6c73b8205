import DekoKit
import SwiftUI

/// Numbers without a person: tap one to give it to someone found by search,
/// or to make a new person with it (who takes its calls).
struct UnknownNumbersView: View {
    @State var model: UnknownNumbersModel
    let core: Core
    @Environment(AppModel.self) private var app
    @State private var open: String?
    @State private var creating: UnknownNumber?

    var body: some View {
        List {
            if let number = model.givenNumber, let person = model.givenTo {
                Text(t(.NumberGiven, number, person)).foregroundStyle(.secondary)
            }
            ErrorBanner(error: model.error)
            if model.numbers.isEmpty {
                ContentUnavailableView(t(.NoUnknownNumbers), systemImage: "checkmark.circle",
                                       description: Text(t(.NoUnknownNumbersHint)))
            }
            ForEach(model.numbers, id: \.number) { n in
                Section {
                    Button {
                        open = open == n.number ? nil : n.number
                        model.query = ""
                    } label: {
                        VStack(alignment: .leading) {
                            Text(n.display)
                            Text(t(.UnknownCalls, n.calls, Fmt.day(n.last))).font(.caption).foregroundStyle(.secondary)
                        }
                    }
                    if open == n.number {
                        Button(t(.NewPerson)) { creating = n }
                        TextField(t(.AttachTo), text: $model.query)
                        ForEach(model.hits, id: \.id) { hit in
                            Button(hit.name) {
                                _Concurrency.Task {
                                    await model.give(n, to: hit)
                                    open = nil
                                    app.dataChanged()
                                }
                            }
                        }
                    }
                }
            }
        }
        .navigationTitle(t(.UnknownNumbers))
        .task { await model.reload() }
        .sheet(item: $creating) { n in
            PersonFormView(model: PersonFormModel(core: core, id: nil, number: n.number)) { _ in
                creating = nil
                _Concurrency.Task { await model.reload() }
                app.dataChanged()
            }
        }
    }
}

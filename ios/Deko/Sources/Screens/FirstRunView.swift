import DekoKit
import SwiftUI

/// First run: start a new team, or join one with an invitation (pasted,
/// scanned as a QR code, or read by tapping an Android phone).
struct FirstRunView: View {
    @State var model: FirstRunModel
    let core: Core
    @Environment(AppModel.self) private var app
    @State private var scanning = false
    private let nfc = NFCTicketReader()

    var body: some View {
        NavigationStack {
            Form {
                Section {
                    Text(t(.WelcomeText))
                }
                Picker("", selection: $model.mode) {
                    Text(t(.FoundTeam)).tag(FirstRunModel.Mode.found)
                    Text(t(.JoinTeam)).tag(FirstRunModel.Mode.join)
                }
                .pickerStyle(.segmented)
                Section {
                    if model.mode == .found {
                        TextField(t(.CompanyName), text: $model.teamName)
                            .textContentType(.organizationName)
                        if model.missing == .teamName { Text(t(.NameNeeded)).foregroundStyle(.red) }
                    } else {
                        TextField(t(.Ticket), text: $model.ticket, axis: .vertical)
                            .textInputAutocapitalization(.never)
                            .autocorrectionDisabled()
                        Text(t(.TicketHint)).font(.footnote).foregroundStyle(.secondary)
                        HStack {
                            Button(t(.PasteTicket)) {
                                if let s = UIPasteboard.general.string { model.ticket = s }
                            }
                            Spacer()
                            Button { scanning = true } label: { Image(systemName: "qrcode.viewfinder") }
                                .accessibilityLabel("QR")
                            if NFCTicketReader.available {
                                Button {
                                    nfc.read { ticket in model.ticket = ticket }
                                } label: { Image(systemName: "wave.3.right") }
                                    .accessibilityLabel("NFC")
                            }
                        }
                        .buttonStyle(.borderless)
                        if model.missing == .ticket { Text(t(.TicketNeeded)).foregroundStyle(.red) }
                    }
                    TextField(t(.YourName), text: $model.yourName)
                        .textContentType(.name)
                    if model.missing == .yourName { Text(t(.NameNeeded)).foregroundStyle(.red) }
                }
                Section {
                    Button(model.mode == .found ? t(.Found) : t(.Join)) { model.submit() }
                        .disabled(model.busy)
                    if model.busy, model.mode == .join {
                        let p = app.joinProgress
                        ProgressView(t(app.joinPreparing ? .PreparingLists : .Joining))
                        if let p, p.total > 0 {
                            Text(t(app.joinPreparing ? .PreparingListsProgress : .JoiningProgress, p.received, p.total))
                        }
                    }
                    ErrorBanner(error: model.error)
                }
            }
            .navigationTitle(t(.Welcome))
            .sheet(isPresented: $scanning) {
                QRScannerView { code in
                    model.ticket = code
                    scanning = false
                }
            }
            .onAppear {
                if let link = app.openedTicket {
                    model.mode = .join
                    model.ticket = link
                    app.openedTicket = nil
                }
            }
        }
    }
}

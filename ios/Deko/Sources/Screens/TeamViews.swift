import DekoKit
import SwiftUI

/// Team & sync: devices (revoke with confirmation), invite (QR and link),
/// sync now, sync with a device's link (pasted, scanned, tapped), the relay.
struct TeamView: View {
    @State var model: TeamModel
    @Environment(AppModel.self) private var app
    @State private var revoking: Device?
    @State private var scanning = false
    @State private var ticket = ""
    @State private var copied = false
    private let nfc = NFCTicketReader()

    var body: some View {
        List {
            Section(t(.SyncStatus)) {
                Button {
                    _Concurrency.Task { await model.syncNow() }
                } label: {
                    Label(model.syncing ? t(.Syncing) : t(.SyncNow), systemImage: "arrow.triangle.2.circlepath")
                }
                .disabled(model.syncing)
                if app.peers.isEmpty {
                    Text(t(.NeverSynced)).foregroundStyle(.secondary)
                }
                ForEach(app.peers.values.sorted { $0.at > $1.at }) { peer in
                    VStack(alignment: .leading) {
                        Text(name(of: peer.device))
                        Text(t(.LastSync, peer.at.formatted(date: .omitted, time: .shortened),
                               peer.via == .relay ? t(.ViaRelay) : t(.ViaDirect)))
                            .font(.caption)
                        Text("\(t(.Received, peer.received)) · \(t(.Sent, peer.sent))").font(.caption)
                        if peer.refused > 0 { Text(t(.RefusedRecords, peer.refused)).font(.caption).foregroundStyle(.orange) }
                        if let error = peer.error { Text(t(.SyncFailed, explain(error))).font(.caption).foregroundStyle(.red) }
                    }
                }
                if app.conflictCount > 0 {
                    NavigationLink(t(.ConflictsWaiting, app.conflictCount)) {
                        ConflictsView(model: ConflictsModel(core: app.core!))
                    }
                }
            }
            Section(t(.SyncWithTicket)) {
                TextField("deko:", text: $ticket).textInputAutocapitalization(.never).autocorrectionDisabled()
                HStack {
                    Button(t(.PasteTicket)) { ticket = UIPasteboard.general.string ?? "" }
                    Spacer()
                    Button { scanning = true } label: { Image(systemName: "qrcode.viewfinder") }.accessibilityLabel("QR")
                    if NFCTicketReader.available {
                        Button { nfc.read { ticket = $0 } } label: { Image(systemName: "wave.3.right") }.accessibilityLabel("NFC")
                    }
                    Button(t(.SyncNow)) {
                        let t = ticket
                        _Concurrency.Task { await model.sync(ticket: t) }
                    }
                    .disabled(ticket.isEmpty || model.syncing)
                }
                .buttonStyle(.borderless)
            }
            Section(t(.Invite)) {
                if let invite = model.invite {
                    Text(t(.InviteText)).font(.footnote)
                    if let image = QRCode.image(for: invite) {
                        Image(uiImage: image).interpolation(.none).resizable().scaledToFit()
                            .frame(maxWidth: 280).frame(maxWidth: .infinity)
                            .accessibilityLabel(invite)
                    }
                    Text(invite).font(.caption.monospaced()).textSelection(.enabled)
                    ShareLink(item: invite)
                    Button(copied ? t(.Copied) : t(.CopyTicket)) {
                        UIPasteboard.general.string = invite
                        copied = true
                    }
                } else {
                    Button(t(.Invite)) { _Concurrency.Task { await model.makeInvite() } }
                }
            }
            Section(t(.Devices)) {
                if model.devices.count <= 1 {
                    Text(t(.NoPeers)).foregroundStyle(.secondary)
                    Text(t(.NoPeersHint)).font(.footnote)
                }
                ForEach(model.devices, id: \.device) { d in
                    HStack {
                        VStack(alignment: .leading) {
                            Text(d.personName)
                            Text([d.fingerprint, d.role == .admin ? t(.Admin) : t(.Member),
                                  d.isThisDevice ? t(.ThisDevice) : nil, d.revokedAfter != nil ? t(.Revoked) : nil]
                                .compactMap { $0 }.joined(separator: " · "))
                                .font(.caption).foregroundStyle(.secondary)
                        }
                        Spacer()
                        if !d.isThisDevice, d.revokedAfter == nil {
                            Button(t(.Revoke), role: .destructive) { revoking = d }.buttonStyle(.borderless)
                        }
                    }
                }
            }
            Section(t(.RelaySettings)) {
                TextField(t(.RelayAddress), text: $model.relayAddress).textInputAutocapitalization(.never).autocorrectionDisabled()
                SecureField(t(.RelayToken), text: $model.relayToken)
                if model.relayAddress.isEmpty { Text(t(.RelayNone)).font(.footnote) }
                Button(t(.RelaySave)) { _Concurrency.Task { await model.saveRelay() } }
                if model.relaySaved { Text(t(.RelaySaved)).font(.footnote) }
            }
            ErrorBanner(error: model.error)
        }
        .navigationTitle(t(.TeamSync))
        .confirmationDialog(t(.RevokeConfirmTitle, revoking?.personName ?? ""), isPresented: Binding(
            get: { revoking != nil }, set: { if !$0 { revoking = nil } }
        ), titleVisibility: .visible) {
            Button(t(.Revoke), role: .destructive) {
                if let d = revoking { _Concurrency.Task { await model.revoke(d) } }
                revoking = nil
            }
            Button(t(.Cancel), role: .cancel) { revoking = nil }
        } message: {
            Text(t(.RevokeConfirmText))
        }
        .sheet(isPresented: $scanning) {
            QRScannerView { code in
                ticket = code
                scanning = false
            }
        }
        .onAppear {
            if let link = app.openedTicket {
                ticket = link
                app.openedTicket = nil
            }
        }
        .task(id: app.dataVersion) { await model.reload() }
    }

    private func name(of device: String) -> String {
        model.devices.first { $0.device == device }.map { "\($0.personName) (\($0.fingerprint))" } ?? String(device.prefix(9))
    }
}

/// Settings: language, phone region, your name, this device, version.
struct SettingsView: View {
    @State var model: SettingsModel
    @State private var language = L10n.language ?? ""

    var body: some View {
        Form {
            Section(t(.YourNameLabel)) {
                Text(model.yourName ?? "—")
                Text(t(.YourNameHint)).font(.footnote).foregroundStyle(.secondary)
            }
            Section(t(.Region)) {
                TextField(t(.Region), text: $model.region).textInputAutocapitalization(.characters)
                Text(t(.RegionHint)).font(.footnote).foregroundStyle(.secondary)
                Button(t(.Save)) { _Concurrency.Task { await model.saveRegion() } }
                if model.saved { Text(t(.Saved)).font(.footnote) }
            }
            Section(t(.Language)) {
                Picker(t(.Language), selection: $language) {
                    Text(t(.ThemeSystem)).tag("")
                    Text("English").tag("en")
                    Text("Čeština").tag("cs")
                    Text("Deutsch").tag("de")
                }
                .onChange(of: language) { _, lang in L10n.language = lang.isEmpty ? nil : lang }
            }
            Section(t(.Device)) {
                LabeledContent(t(.Device), value: model.fingerprint)
                LabeledContent(t(.Version), value: model.version)
            }
            ErrorBanner(error: model.error)
        }
        .navigationTitle(t(.Settings))
        .task { await model.reload() }
    }
}

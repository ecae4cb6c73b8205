import CoreNFC
import Foundation

/// Reads a `deko:` ticket from an Android phone held to the iPhone: the
/// Android app's host card emulation (HCE) service answers ISO 7816-4 APDUs
/// on Deko's AID. The exchange (docs/api.md, "NFC ticket exchange"; the
/// Android side must match it byte for byte):
///
///   SELECT   00 A4 04 00 06 F0 44 45 4B 4F 01 00
///            -> LL LL 90 00         (the ticket's length in bytes, big-endian)
///   GET DATA 80 CA HH LL NN          (offset HH LL big-endian, NN = bytes wanted, 1...255)
///            -> NN bytes 90 00       (fewer at the end of the ticket)
///   repeated until LLLL bytes are read; the bytes are the ticket in UTF-8.
///
/// Errors: 67 00 (wrong length), 69 85 (GET DATA before SELECT), 6A 82 (no
/// ticket to share), 6A 86 (wrong P1 P2), 6B 00 (offset at or past the end),
/// 6D 00 (unknown instruction), 6E 00 (unknown class). The reader stops on
/// any of them, on a length of 0, and on an answer with no bytes or more
/// than asked for (android/apdu's TicketReader does the same).
final class NFCTicketReader: NSObject, NFCTagReaderSessionDelegate {
    /// Deko's proprietary AID: F0 (proprietary) "DEKO" 01. Also in
    /// project.yml (com.apple.developer.nfc.readersession.iso7816.select-identifiers).
    static let aid = Data([0xF0, 0x44, 0x45, 0x4B, 0x4F, 0x01])
    static let chunk = 255

    static var available: Bool { NFCTagReaderSession.readingAvailable }

    private var session: NFCTagReaderSession?
    private var completion: ((String) -> Void)?

    func read(_ completion: @escaping (String) -> Void) {
        guard NFCTagReaderSession.readingAvailable else { return }
        self.completion = completion
        session = NFCTagReaderSession(pollingOption: [.iso14443], delegate: self, queue: nil)
        session?.alertMessage = "Hold the other phone to the top of this iPhone."
        session?.begin()
    }

    func tagReaderSessionDidBecomeActive(_ session: NFCTagReaderSession) {}

    func tagReaderSession(_ session: NFCTagReaderSession, didInvalidateWithError error: Error) {
        self.session = nil
    }

    func tagReaderSession(_ session: NFCTagReaderSession, didDetect tags: [NFCTag]) {
        guard let tag = tags.first, case let .iso7816(card) = tag else {
            session.invalidate(errorMessage: "Not a Deko phone.")
            return
        }
        session.connect(to: tag) { error in
            if let error {
                session.invalidate(errorMessage: error.localizedDescription)
                return
            }
            self.select(card, session)
        }
    }

    private func select(_ card: NFCISO7816Tag, _ session: NFCTagReaderSession) {
        let apdu = NFCISO7816APDU(instructionClass: 0x00, instructionCode: 0xA4, p1Parameter: 0x04, p2Parameter: 0x00,
                                  data: NFCTicketReader.aid, expectedResponseLength: 256)
        card.sendCommand(apdu: apdu) { data, sw1, sw2, error in
            guard error == nil, sw1 == 0x90, sw2 == 0x00, data.count == 2 else {
                session.invalidate(errorMessage: "No Deko ticket on that phone.")
                return
            }
            let total = Int(data[data.startIndex]) << 8 | Int(data[data.startIndex + 1])
            guard total > 0 else {
                session.invalidate(errorMessage: "No Deko ticket on that phone.")
                return
            }
            self.get(card, session, total: total, have: Data())
        }
    }

    private func get(_ card: NFCISO7816Tag, _ session: NFCTagReaderSession, total: Int, have: Data) {
        if have.count >= total {
            guard let ticket = String(data: have, encoding: .utf8), ticket.lowercased().hasPrefix("deko:") else {
                session.invalidate(errorMessage: "Not a Deko ticket.")
                return
            }
            session.alertMessage = "✓"
            session.invalidate()
            let completion = self.completion
            DispatchQueue.main.async { completion?(ticket) }
            return
        }
        let offset = have.count
        let want = min(NFCTicketReader.chunk, total - offset)
        let apdu = NFCISO7816APDU(instructionClass: 0x80, instructionCode: 0xCA, p1Parameter: UInt8(offset >> 8),
                                  p2Parameter: UInt8(offset & 0xFF), data: Data(), expectedResponseLength: want)
        card.sendCommand(apdu: apdu) { data, sw1, sw2, error in
            guard error == nil, sw1 == 0x90, sw2 == 0x00, !data.isEmpty, data.count <= want else {
                session.invalidate(errorMessage: "The ticket could not be read. Try again.")
                return
            }
            self.get(card, session, total: total, have: have + data)
        }
    }
}

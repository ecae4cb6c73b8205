import DekoKit
import Foundation

/// The UI's texts: Localizable.xcstrings, made by ios/scripts/strings from the
/// Kotlin strings source (same keys, same texts, `{0}`, `{1}` arguments).
/// The language follows the system, or the one picked in Settings.
enum L10n {
    static let languageKey = "deko.language"

    /// "en", "cs", "de", or nil for the system's.
    static var language: String? {
        get { UserDefaults.standard.string(forKey: languageKey) }
        set { UserDefaults.standard.set(newValue, forKey: languageKey) }
    }

    static var bundle: Bundle {
        if let lang = language, let path = Bundle.main.path(forResource: lang, ofType: "lproj"), let b = Bundle(path: path) {
            return b
        }
        return .main
    }
}

/// The text of `key` in the current language, `{i}` replaced by `args[i]`.
func t(_ key: S, _ args: StringArg...) -> String {
    var s = L10n.bundle.localizedString(forKey: key.rawValue, value: nil, table: "Localizable")
    for (i, a) in args.enumerated() {
        s = s.replacingOccurrences(of: "{\(i)}", with: a.text)
    }
    return s
}

/// What may fill a `{i}`: text and numbers.
protocol StringArg {
    var text: String { get }
}

extension String: StringArg {
    var text: String { self }
}

extension Int: StringArg {
    var text: String { String(self) }
}

extension UInt64: StringArg {
    var text: String { String(self) }
}

/// A failure of the core in the UI's language, as the Kotlin UI's
/// `Strings.explain`: the kinds a person can act on have their own sentence
/// (with the peer's or relay's own words for a refusal); the rest (bad
/// input, not found, ...) show the core's sentence.
func explain(_ e: CoreError) -> String {
    let words = e.reason.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } ?? e.message
    switch e.kind {
    case .unreachable: return t(.ErrUnreachable)
    case .timedOut: return t(.ErrTimedOut)
    case .refusedByPeer: return t(.ErrRefusedByPeer, words)
    case .relayRefused: return t(.ErrRelayRefused, words)
    case .badTicket: return t(.ErrBadTicket)
    case .notAMember: return t(.ErrNotAMember)
    case .revoked: return t(.ErrRevoked)
    case .notAdmin: return t(.ErrNotAdmin)
    case .alreadyInTeam: return t(.ErrAlreadyInTeam)
    case .storageFull: return t(.ErrStorageFull)
    case .corrupt: return t(.ErrCorrupt)
    case .database: return t(.ErrDatabase, e.message)
    case .schemaTooNew: return t(.ErrSchemaTooNew)
    case .network: return t(.ErrNetwork)
    case .protocolError: return t(.ErrProtocol)
    case .internalError: return t(.ErrInternal)
    default: return e.message
    }
}

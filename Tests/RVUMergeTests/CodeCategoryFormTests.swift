import Testing

@testable import RVUMerge

/// `CodeCategory.of` reads a code's bytes without allocating; it must give what the first
/// version (kept here as the reference: arrays of bytes and of digit flags, `Int(code)`, the
/// letter's name looked up and the id and name built each time) gives, for every form.
@Suite struct CodeCategoryFormTests {
    static func reference(_ code: String) -> CodeCategory? {
        let bytes = Array(code.utf8)
        guard bytes.count == 5 else { return nil }
        let digits = bytes.map { $0 >= 0x30 && $0 <= 0x39 }
        if digits.allSatisfy({ $0 }), let number = Int(code) {
            return CodeCategory.cptSection(number)
        }
        if digits[0..<4].allSatisfy({ $0 }) {
            switch bytes[4] {
            case UInt8(ascii: "F"):
                return CodeCategory(id: "cpt-category-ii", name: "CPT Category II (performance measurement)", codeSet: .cpt)
            case UInt8(ascii: "T"):
                return CodeCategory(id: "cpt-category-iii", name: "CPT Category III (emerging technology)", codeSet: .cpt)
            case UInt8(ascii: "U"): return CodeCategory(id: "cpt-pla", name: "CPT Proprietary Laboratory Analyses", codeSet: .cpt)
            default: return nil
            }
        }
        guard digits[1..<5].allSatisfy({ $0 }),
            let letter = Unicode.Scalar(bytes[0]).properties.isUppercase ? Character(Unicode.Scalar(bytes[0])) : nil
        else { return nil }
        if letter == "D" { return CodeCategory(id: "dental", name: "Dental procedures (CDT)", codeSet: .cdt) }
        guard let name = CodeCategory.levelIINames[letter] else { return nil }
        return CodeCategory(id: "hcpcs-\(letter.lowercased())", name: "HCPCS Level II: \(name)", codeSet: .hcpcsLevelII)
    }

    @Test func everyFormGivesTheReferenceCategory() {
        // Every code of five characters from these, plus other lengths and non-ASCII text.
        let alphabet: [Character] = ["0", "1", "9", "A", "D", "F", "J", "T", "U", "Z", "d", "é"]
        var codes: [String] = ["", "9921", "992130", "99213 ", "À1234", "é123", "１２３４５", "0001f", "d0120", "W1234", "I1234"]
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    for d in alphabet {
                        for e in alphabet { codes.append(String([a, b, c, d, e])) }
                    }
                }
            }
        }
        let numbers = [0, 1999, 2000, 9999, 10000, 69999, 70000, 79999, 80000, 89999, 90000, 99201, 99202, 99499, 99500, 99999]
        codes += numbers.map { String(repeating: "0", count: max(0, 5 - String($0).count)) + String($0) }
        var known = 0
        for code in codes {
            let expected = Self.reference(code)
            #expect(CodeCategory.of(code) == expected, "\(code.debugDescription)")
            if expected != nil { known += 1 }
        }
        // The inputs reach every kind of answer.
        #expect(known > 800 && known < codes.count / 2)
        #expect(Set(codes.compactMap { CodeCategory.of($0)?.id }).count == 15)
    }
}

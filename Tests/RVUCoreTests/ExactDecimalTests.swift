import RVUCore
import Testing

@Suite struct ExactDecimalTests {
    @Test(arguments: [
        ("1.30", 130, 2, "1.30"), ("32.3465", 323_465, 4, "32.3465"), (".00", 0, 2, "0.00"), ("-0.05", -5, 2, "-0.05"),
        (" 19.31 ", 1931, 2, "19.31"), ("1", 1, 0, "1"), ("0", 0, 0, "0"),
    ])
    func parsesPublishedText(text: String, units: Int64, scale: Int, printed: String) throws {
        let value = try #require(ExactDecimal(text))
        #expect(value.units == units)
        #expect(value.scale == scale)
        #expect(value.description == printed)
    }

    @Test func anOptionalValueTakesSixteenBytes() {
        // Records hold a dozen optional numbers each, by the hundred thousand.
        #expect(MemoryLayout<ExactDecimal?>.stride == 16)
        #expect(ExactDecimal(units: 130, scale: 12).scale == 12)
    }

    @Test func doubleValueIsTheNearestDouble() {
        // The parsed text's double (correctly rounded by the C library) is the reference.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100_000 {
            let scale = Int.random(in: 0...12, using: &generator)
            let units = Int64.random(in: -(1 << 53)...(1 << 53), using: &generator) >> Int64.random(in: 0...40, using: &generator)
            let value = ExactDecimal(units: units, scale: scale)
            #expect(value.doubleValue == Double(value.description), "\(value)")
        }
        #expect(ExactDecimal(units: 1 << 60, scale: 3).doubleValue == Double("1152921504606846.976"))
    }

    @Test(arguments: ["", " ", "N/A", "1.2.3", "1,234", "--1", "12a", "."])
    func rejectsNonNumbers(text: String) {
        #expect(ExactDecimal(text) == nil)
    }

    /// The one-pass parser agrees with the general one on everything it accepts, and leaves the
    /// rest to it.
    @Test(arguments: [
        "", "-", ".", "-.", "0", "-0", "00.50", ".5", "5.", "-.5", "+1", " 1", "1 ", "1e3", "1E-2", "-1.5e1",
        "123456789012345678", "-12345678901234567", "1234567890123456789", "0.123456789012", "0.1234567890123",
        "99999999999999999.9", "1.2.3", "1,2", "\t1", "1-", "--1", "0.00", "33.2875", "-0.05", "1.",
    ])
    func plainParserAgreesWithTheGeneralOne(text: String) {
        expectSameParse(text)
    }

    @Test func plainParserAgreesOnRandomTexts() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789012345678901234567890123456789..--+eE ".utf8)
        for _ in 0..<200_000 {
            let length = Int.random(in: 0...22, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator) ?? 0x30 }
            expectSameParse(String(decoding: bytes, as: UTF8.self))
        }
        for _ in 0..<100_000 {
            let value = ExactDecimal(
                units: Int64.random(in: -999_999_999_999...999_999_999_999, using: &generator),
                scale: Int.random(in: 0...12, using: &generator))
            expectSameParse(value.description)
            #expect(ExactDecimal(value.description)?.isIdentical(to: value) == true, "\(value)")
        }
    }

    private func expectSameParse(_ text: String) {
        var copy = text
        copy.withUTF8 { bytes in
            for allowExponent in [false, true] {
                let general = ExactDecimal.parseAnyForm(bytes, allowExponent: allowExponent)
                let parsed = ExactDecimal.parse(bytes, allowExponent: allowExponent)
                #expect(parsed?.units == general?.units && parsed?.scale == general?.scale, "\"\(text)\"")
                if let plain = ExactDecimal.parsePlain(bytes) {
                    #expect(general.map(plain.isIdentical) == true, "\"\(text)\"")
                }
            }
        }
    }

    @Test func spreadsheetDoublesRoundToThePublishedScale() throws {
        let gpci = try #require(ExactDecimal("0.86899999999999999", allowExponent: true))
        #expect(gpci.rounded(toScale: 3).description == "0.869")
        let factor = try #require(ExactDecimal("33.287500000000001", allowExponent: true))
        #expect(factor.rounded(toScale: 4).description == "33.2875")
        let small = try #require(ExactDecimal("8.6E-2", allowExponent: true))
        #expect(small.rounded(toScale: 2).description == "0.09")
        #expect(ExactDecimal("8.6E-2") == nil, "exponents only where asked for")
    }

    @Test func equalityIsNumericAndIdentityKeepsTheScale() throws {
        let one = try #require(ExactDecimal("1"))
        let published = try #require(ExactDecimal("1.000"))
        #expect(one == published)
        #expect(one.hashValue == published.hashValue)
        #expect(!one.isIdentical(to: published))
    }

    @Test func arithmeticIsExact() throws {
        // 99213 in RVU25D: 1.30 + 1.35 + 0.10 = 2.75; 2.75 x 32.3465 = 88.952875 -> 88.95.
        let total = try #require(ExactDecimal("1.30")) + #require(ExactDecimal("1.35")) + #require(ExactDecimal("0.10"))
        #expect(total.description == "2.75")
        let payment = total * (try #require(ExactDecimal("32.3465")))
        #expect(payment.description == "88.952875")
        #expect(payment.rounded(toScale: 2).description == "88.95")
        #expect((try #require(ExactDecimal("0.125"))).rounded(toScale: 2).description == "0.13")
        #expect((try #require(ExactDecimal("-0.125"))).rounded(toScale: 2).description == "-0.13")
    }
}

@Suite struct ReleaseIDTests {
    @Test(arguments: [
        ("RVU26A", "RVU26A", 2026, ReleaseID.Quarter.a, false, nil as String?),
        ("rvu24ar", "RVU24AR", 2024, .a, true, nil),
        ("RVU25D.zip", "RVU25D", 2025, .d, false, nil),
        ("rvu26a-updated-12-29-2025.zip", "RVU26A-updated-2025-12-29", 2026, .a, false, "2025-12-29"),
        ("rvu24ar-posted-04/01/2024", "RVU24AR-updated-2024-04-01", 2024, .a, true, "2024-04-01"),
    ])
    func parsesIdsAndArchiveNames(
        text: String, printed: String, year: Int, quarter: ReleaseID.Quarter, correction: Bool, date: String?
    ) throws {
        let id = try ReleaseID(parsing: text)
        #expect(id.description == printed)
        #expect(id.year == year)
        #expect(id.quarter == quarter)
        #expect(id.isCorrection == correction)
        #expect(id.repostedOn?.description == date)
        #expect(try ReleaseID(parsing: id.description) == id, "the printed form parses back")
    }

    @Test func rejectsInvalidIds() {
        #expect(throws: ReleaseIDError.self) { try ReleaseID(parsing: "RVU26E") }
        #expect(throws: ReleaseIDError.self) { try ReleaseID(parsing: "PFS26A") }
        #expect(throws: ReleaseIDError.self) { try ReleaseID(parsing: "RVU2026A") }
        #expect(throws: ReleaseIDError.self) { try ReleaseID(parsing: "rvu26a-updated-13-45-2025") }
        do {
            _ = try ReleaseID(parsing: "RVU26E")
        } catch {
            #expect(error.message.hasPrefix("invalid release id 'RVU26E': 'E' is not a quarter"))
        }
    }

    @Test func revisionsOrderAndMatch() throws {
        let plain = try ReleaseID(parsing: "RVU26A")
        let corrected = try ReleaseID(parsing: "RVU26AR")
        let reposted = try ReleaseID(parsing: "rvu26a-updated-12-29-2025")
        #expect(plain < corrected)
        #expect(plain < reposted)
        #expect(corrected < reposted)
        #expect(plain.matches(reposted))
        #expect(plain.matches(corrected))
        #expect(!corrected.matches(plain))
        #expect(!plain.matches(try ReleaseID(parsing: "RVU25D")))
    }

    @Test func sha256MatchesKnownDigests() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array(repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(long) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        var streamed = SHA256()
        for start in stride(from: 0, to: long.count, by: 65_537) { streamed.update(Array(long[start..<min(start + 65_537, long.count)])) }
        #expect(streamed.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() == SHA256.hex(long))
    }
}

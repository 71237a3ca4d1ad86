import Testing

@testable import RVUReports

/// The byte-level text helpers of the preview site against the plain way and exact expectations.
@Suite struct SiteTextTests {
    @Test(arguments: [
        "", "   ", "CT of the chest, w/o contrast (2 views)", "Office/outpatient visit est. 20-29 min.", "x-ray;\tNEW\r\nline  ",
        "99213 & 99214 <b>bold</b>", "Café crème, naïve résumé", "Ωmega 3µg ½ dose", "emoji 🩻 scan", "ﬁle ligature İstanbul",
        "\u{2028}sep\u{2029}", "a--b..c", "ALL CAPS 42",
    ])
    func searchWordsAreThoseOfThePlainSplit(text: String) {
        #expect(PreviewSite.searchWords(text) == PreviewSite.plainSearchWords(text), "\(text)")
    }

    @Test func searchWordsOfACuratedCorpusLine() {
        #expect(PreviewSite.searchWords(" Knee (total) ARTHROPLASTY; 3-D ") == "knee total arthroplasty 3 d")
    }

    @Test func escapeKeepsOtherCharactersWhole() {
        #expect(HTMLText.escape("café <b>\"x\" & 'y'</b> 🩻") == "café &lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt; 🩻")
        #expect(HTMLText.escape("plain é") == "plain é")
    }

    @Test func jsStringIsASCIIWithEscapes() {
        #expect(HTMLText.jsString("a\"b\\c</script>&\u{2028}é🩻\n") == #""a\"b\\c\u003c/script\u003e\u0026\u2028\u00e9\ud83e\ude7b\u000a""#)
    }
}

import RVUCore
import Testing

@Suite struct JSONValueTests {
    static let value: JSONValue = .object([
        ("text", .string("quote \" backslash \\ tab \t line\nreturn\r bell \u{07} unit \u{1F} é 😀 del \u{7F}")),
        ("plain", .string("99213")),
        ("numbers", .array([.int(-3), .number("1.30"), .decimal(nil), .bool(true), .bool(false)])),
        ("empty", .array([])),
        ("nested", .object([("none", .object([])), ("key \"q\"", .string(nil))])),
    ])

    @Test func compact() {
        let expected =
            #"{"text":"quote \" backslash \\ tab \t line\nreturn\r bell \u0007 unit \u001f é 😀 del "# + "\u{7F}"
            + #"","plain":"99213","numbers":[-3,1.30,null,true,false],"empty":[],"nested":{"none":{},"key \"q\"":null}}"#
        #expect(Self.value.rendered() == expected)
    }

    @Test func indented() {
        let value: JSONValue = .object([("a", .array([.int(1), .object([("b", .string("c"))])])), ("d", .null)])
        #expect(
            value.rendered(indent: 2) == """
                {
                  "a": [
                    1,
                    {
                      "b": "c"
                    }
                  ],
                  "d": null
                }
                """)
    }
}

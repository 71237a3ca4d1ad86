import Dispatch
import Testing

@testable import RVUCore

@Suite struct HandoffTests {
    @Test func theTakerWaitsForTheValue() {
        let handoff = Handoff<[String]>()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { handoff.put(["rvu", "code"]) }
        #expect(handoff.take() == ["rvu", "code"])
        #expect(handoff.take() == ["rvu", "code"])
    }

    @Test func aCancelledHandoffGivesNothing() {
        let handoff = Handoff<Int>()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { handoff.cancel() }
        #expect(handoff.take() == nil)
    }
}

import Dispatch
import Synchronization
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

    /// Every index is taken once, by whichever worker asks first.
    @Test func aTaskCounterHandsOutEachIndexOnce() {
        let counter = TaskCounter(count: 1000)
        let taken = Mutex<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            while let index = counter.take() { taken.withLock { $0.append(index) } }
        }
        #expect(taken.withLock { $0.sorted() } == Array(0..<1000))
        #expect(counter.take() == nil)
    }
}

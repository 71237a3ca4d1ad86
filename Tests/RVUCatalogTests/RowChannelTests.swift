import Dispatch
import Testing

@testable import RVUCatalog

@Suite struct RowChannelTests {
    /// Batches arrive whole and in order through a queue much shorter than what is sent.
    @Test func batchesArriveInOrder() {
        let channel = RowChannel(capacity: 2)
        DispatchQueue.global().async {
            for number in 0..<500 {
                var batch = channel.emptyBatch(table: "t\(number)", columns: 1)
                batch.add([.integer(Int64(number)), .text("row \(number)")])
                _ = channel.send(batch)
            }
            channel.finish()
        }
        var received: [String] = []
        while let batch = channel.receive() {
            let text = String(decoding: batch.text, as: UTF8.self)
            received.append("\(batch.table) \(batch.rows) \(text)")
            channel.recycle(batch)
        }
        #expect(received.count == 500)
        #expect(received.first == "t0 1 row 0")
        #expect(received.last == "t499 1 row 499")
        #expect(received == (0..<500).map { "t\($0) 1 row \($0)" })
        #expect(channel.receive() == nil)
    }

    /// A consumer that fails releases a producer waiting for room; later sends are refused.
    @Test func cancellingReleasesTheProducer() {
        let channel = RowChannel(capacity: 1)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var accepted = 0
        DispatchQueue.global().async {
            for _ in 0..<100 where channel.send(RowBatch(table: "t", columns: 1)) { accepted += 1 }
            channel.finish()
            done.signal()
        }
        #expect(channel.receive() != nil)
        channel.cancel()
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(accepted < 100)
    }
}

import Foundation

/// A bounded first-in first-out queue of ``RowBatch``es from one producing thread to one
/// consuming thread, with used batches sent back for reuse. Either side can stop it: the
/// producer when it has sent everything (``finish()``), the consumer when it fails (``cancel()``),
/// after which ``send(_:)`` returns false at once instead of waiting for room.
final class RowChannel: @unchecked Sendable {
    // Every stored property below is read and written only with `condition` locked.
    private let condition = NSCondition()
    private let capacity: Int
    private var queue: [RowBatch] = []
    private var head = 0
    private var spare: [RowBatch] = []
    private var finished = false
    private var cancelled = false

    init(capacity: Int = 8) { self.capacity = capacity }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }

    /// Queues a batch, waiting while the queue is full; false once the consumer has cancelled.
    func send(_ batch: RowBatch) -> Bool {
        locked {
            while !cancelled, queue.count - head >= capacity { condition.wait() }
            guard !cancelled else { return false }
            queue.append(batch)
            condition.broadcast()
            return true
        }
    }

    /// No more batches will be sent.
    func finish() {
        locked {
            finished = true
            condition.broadcast()
        }
    }

    /// The next batch in order, or nil when the producer has finished and all were taken.
    func receive() -> RowBatch? {
        locked {
            while head == queue.count, !finished { condition.wait() }
            guard head < queue.count else { return nil }
            let batch = queue[head]
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            }
            condition.broadcast()
            return batch
        }
    }

    /// Gives a bound batch back for the producer to fill again.
    func recycle(_ batch: RowBatch) {
        locked { spare.append(batch) }
    }

    /// A batch to fill: a recycled one if any.
    func emptyBatch(table: String, columns: Int) -> RowBatch {
        if var batch = locked({ spare.popLast() }) {
            batch.reset(table: table, columns: columns)
            return batch
        }
        return RowBatch(table: table, columns: columns)
    }

    /// The consumer stops: pending and later sends are refused.
    func cancel() {
        locked {
            cancelled = true
            queue.removeAll()
            head = 0
            condition.broadcast()
        }
    }
}

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 and an ephemeral port, for tests of code that downloads:
/// one connection at a time, `Connection: close`, answers from a handler. ``stop()`` ends it;
/// every wait inside is bounded (poll every 50 ms, 5 s socket timeouts).
public final class LoopbackServer: @unchecked Sendable {
    /// A request as received.
    public struct Request: Sendable {
        /// `GET` or `POST`.
        public let method: String
        /// The path with its query, as sent (`/license/ama?file=/files/zip/rvu24b.zip`).
        public let target: String
        /// The request body (a POSTed form).
        public let body: [UInt8]
        /// The `Cookie` header, if sent.
        public let cookie: String?

        /// The path without the query.
        public var path: String { String(target.prefix { $0 != "?" }) }

        /// A query or form parameter, percent-decoded.
        public func parameter(_ name: String) -> String? {
            let query = target.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            let form = method == "POST" ? String(decoding: body, as: UTF8.self) : ""
            for pair in (query + "&" + form).split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map {
                    String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
                }
                if parts.first == name { return parts.count > 1 ? parts[1] : "" }
            }
            return nil
        }
    }

    /// What to answer.
    public enum Reply: Sendable {
        /// A complete response.
        case body(status: Int, contentType: String, bytes: [UInt8])
        /// A redirect (301, 302, ...) to `location`, setting a cookie when given.
        case redirect(status: Int, location: String, setCookie: String? = nil)
        /// Declares `declared` bytes, sends `bytes` (fewer), then closes the connection.
        case truncated(contentType: String, bytes: [UInt8], declared: Int)

        /// An HTML page.
        public static func html(_ text: String, status: Int = 200) -> Reply {
            .body(status: status, contentType: "text/html; charset=utf-8", bytes: Array(text.utf8))
        }

        /// A 404 page.
        public static let notFound = Reply.html(
            "<!DOCTYPE html><html><head><title>Not found</title></head><body>Not found</body></html>", status: 404)
    }

    /// The server's port.
    public let port: UInt16
    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private let listener: Int32
    private let handler: @Sendable (Request) -> Reply
    private let lock = NSLock()
    private var stopping = false
    private var log: [String] = []
    private let finished = DispatchSemaphore(value: 0)

    /// Starts a server answering with `handler`.
    public init(handler: @escaping @Sendable (Request) -> Reply) throws {
        #if canImport(Glibc)
            let socketType = Int32(SOCK_STREAM.rawValue)
        #else
            let socketType = SOCK_STREAM
        #endif
        let fd = socket(AF_INET, socketType, 0)
        guard fd >= 0 else { throw ServerError("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw ServerError("bind() or listen() failed: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.listener = fd
        self.port = UInt16(bigEndian: address.sin_port)
        self.handler = handler
        let thread = Thread { [self] in serve() }
        thread.name = "LoopbackServer \(port)"
        thread.start()
    }

    deinit { stop() }

    /// The requests received so far, as `GET /path?query`.
    public var requests: [String] { lock.withLock { log } }

    /// Stops accepting, waits (at most 5 s) for the serving thread to end, and closes the port.
    public func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopping = true }
            return !stopping
        }
        guard first else { return }
        _ = finished.wait(timeout: .now() + 5)
        close(listener)
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    private func serve() {
        defer { finished.signal() }
        while !isStopping {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            if let request = read(client) {
                lock.withLock { log.append("\(request.method) \(request.target)") }
                write(handler(request), to: client)
            }
            shutdown(client, Int32(SHUT_RDWR))
            close(client)
        }
    }

    /// Reads a request line, headers and a body of `Content-Length` bytes.
    private func read(_ client: Int32) -> Request? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var headerEnd: Int?
        while headerEnd == nil {
            let count = recv(client, &buffer, buffer.count, 0)
            guard count > 0 else { return nil }
            data += buffer[0..<count]
            headerEnd = LoopbackServer.find([13, 10, 13, 10], in: data).map { $0 + 4 }
        }
        guard let headerEnd else { return nil }
        let head = String(decoding: data[0..<headerEnd], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var length = 0
        var cookie: String?
        for line in lines.dropFirst() {
            let lower = line.lowercased()
            if lower.hasPrefix("content-length:") {
                length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
            } else if lower.hasPrefix("cookie:") {
                cookie = line.dropFirst("cookie:".count).trimmingCharacters(in: .whitespaces)
            }
        }
        while data.count < headerEnd + length {
            let count = recv(client, &buffer, buffer.count, 0)
            guard count > 0 else { return nil }
            data += buffer[0..<count]
        }
        return Request(
            method: String(requestLine[0]), target: String(requestLine[1]), body: Array(data[headerEnd..<(headerEnd + length)]),
            cookie: cookie)
    }

    private func write(_ reply: Reply, to client: Int32) {
        let (status, headers, body): (Int, [(String, String)], [UInt8])
        switch reply {
        case .body(let code, let type, let bytes):
            (status, headers, body) = (code, [("Content-Type", type), ("Content-Length", "\(bytes.count)")], bytes)
        case .redirect(let code, let location, let cookie):
            let setCookie = cookie.map { [("Set-Cookie", $0)] } ?? []
            (status, headers, body) = (code, [("Location", location), ("Content-Length", "0")] + setCookie, [])
        case .truncated(let type, let bytes, let declared):
            (status, headers, body) = (200, [("Content-Type", type), ("Content-Length", "\(declared)")], bytes)
        }
        var head = "HTTP/1.1 \(status) \(status < 300 ? "OK" : status < 400 ? "Moved" : "Error")\r\n"
        for (name, value) in headers + [("Connection", "close")] { head += "\(name): \(value)\r\n" }
        send(Array((head + "\r\n").utf8), to: client)
        send(body, to: client)
    }

    private func send(_ bytes: [UInt8], to client: Int32) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { raw in
                #if canImport(Glibc)
                    Glibc.send(client, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
                #else
                    Darwin.send(client, raw.baseAddress, raw.count, 0)
                #endif
            }
            guard sent > 0 else { return }
            offset += sent
        }
    }

    private static func find(_ needle: [UInt8], in data: [UInt8]) -> Int? {
        guard data.count >= needle.count else { return nil }
        for start in 0...(data.count - needle.count) where data[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}

/// Why the server could not start.
public struct ServerError: Error, CustomStringConvertible {
    /// What failed.
    public let description: String
    init(_ description: String) { self.description = description }
}

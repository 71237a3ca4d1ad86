import Foundation
import RVUCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A synchronous HTTP client over `URLSession`: follows redirects, reports download progress,
/// and retries network errors with exponential backoff inside a bounded total time.
///
/// Every wait is bounded: each request by ``RetryPolicy/requestTimeout`` (idle) and
/// ``RetryPolicy/resourceTimeout`` (whole transfer), all attempts together by
/// ``RetryPolicy/totalTime``.
package final class HTTPClient: Sendable {
    /// How long to wait and how often to try again.
    package struct RetryPolicy: Sendable {
        /// Attempts in all, the first included.
        package var attempts: Int
        /// The pause before the second attempt; it doubles after each further failure.
        package var initialBackoff: Duration
        /// No attempt starts, and no pause is taken, beyond this time since the first attempt.
        package var totalTime: Duration
        /// The longest silence while connecting or receiving, in seconds.
        package var requestTimeout: TimeInterval
        /// The longest one transfer may take, in seconds.
        package var resourceTimeout: TimeInterval

        /// Creates a policy.
        package init(
            attempts: Int = 4, initialBackoff: Duration = .seconds(2), totalTime: Duration = .seconds(300),
            requestTimeout: TimeInterval = 30, resourceTimeout: TimeInterval = 600
        ) {
            self.attempts = attempts
            self.initialBackoff = initialBackoff
            self.totalTime = totalTime
            self.requestTimeout = requestTimeout
            self.resourceTimeout = resourceTimeout
        }
    }

    /// A request: GET, or POST of a form.
    package struct Request: Sendable {
        /// The address.
        package var url: URL
        /// `GET` or `POST`.
        package var method: String = "GET"
        /// The fields of a POSTed form, sent as `application/x-www-form-urlencoded`.
        package var formBody: [(name: String, value: String)] = []

        /// A request for `url`.
        package init(url: URL, method: String = "GET", formBody: [(name: String, value: String)] = []) {
            self.url = url
            self.method = method
            self.formBody = formBody
        }
    }

    /// Called as bytes arrive: bytes so far, and the total when the server said it.
    package typealias Progress = @Sendable (_ received: Int, _ expected: Int?) -> Void

    private let session: URLSession
    private let dispatcher: Dispatcher
    /// Timeouts and retries of every request.
    package let policy: RetryPolicy

    /// Creates a client with its own session (no shared cookies or caches).
    package init(policy: RetryPolicy = RetryPolicy()) {
        self.policy = policy
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = policy.requestTimeout
        configuration.timeoutIntervalForResource = policy.resourceTimeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpAdditionalHeaders = ["User-Agent": "rvuimport/\(ToolInfo.version)"]
        // Cookies are kept by the client's own jar, so that redirects carry them as well.
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        let dispatcher = Dispatcher(cookies: CookieJar())
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        self.dispatcher = dispatcher
        self.session = URLSession(configuration: configuration, delegate: dispatcher, delegateQueue: queue)
    }

    deinit { session.invalidateAndCancel() }

    /// Performs a request, retrying network errors, 5xx and 429 statuses and truncated bodies.
    /// Other statuses are returned as they are; the caller judges them.
    package func perform(_ request: Request, progress: Progress? = nil) throws(DiagnosticError) -> HTTPResponse {
        let clock = ContinuousClock()
        let start = clock.now
        var backoff = policy.initialBackoff
        var attempt = 0
        while true {
            attempt += 1
            let outcome = once(request, progress: progress)
            let failure: String
            switch outcome {
            case .success(let response) where !(response.status >= 500 || response.status == 429):
                return response
            case .success(let response):
                failure = "the server answered \(response.statusText)"
            case .failure(let transferFailure):
                failure = transferFailure.reason
            }
            let elapsed = clock.now - start
            if attempt >= policy.attempts || elapsed + backoff > policy.totalTime {
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                throw DiagnosticError(
                    .network,
                    "\(failure) (\(attempt) attempt\(attempt == 1 ? "" : "s") in \(String(format: "%.1f", seconds)) s); check the network connection and try again later, or use --offline with a release already in the cache",
                    at: SourceLocation(file: request.url.absoluteString))
            }
            Thread.sleep(forTimeInterval: Double(backoff.components.seconds) + Double(backoff.components.attoseconds) / 1e18)
            backoff = backoff * 2
        }
    }

    /// One attempt: a response with its whole body, or why there is none.
    private func once(_ request: Request, progress: Progress?) -> Result<HTTPResponse, TransferFailure> {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        if request.method == "POST" {
            urlRequest.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            urlRequest.httpBody = Data(HTTPClient.formEncoded(request.formBody).utf8)
        }
        if let cookie = dispatcher.cookies.header(for: request.url) { urlRequest.setValue(cookie, forHTTPHeaderField: "Cookie") }
        let transfer = Transfer(progress: progress)
        let task = session.dataTask(with: urlRequest)
        dispatcher.register(transfer, for: task.taskIdentifier)
        task.resume()
        // The resource timeout bounds the transfer; a little more bounds this wait.
        let waited = transfer.done.wait(timeout: .now() + policy.resourceTimeout + 5)
        dispatcher.unregister(task.taskIdentifier)
        if waited == .timedOut {
            task.cancel()
            return .failure(TransferFailure("no complete answer within \(Int(policy.resourceTimeout)) s"))
        }
        return transfer.result(for: request.url)
    }

    /// `name=value&...`, percent-encoded for a form body.
    static func formEncoded(_ fields: [(name: String, value: String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        func encode(_ text: String) -> String {
            (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text).replacingOccurrences(of: "%20", with: "+")
        }
        return fields.map { "\(encode($0.name))=\(encode($0.value))" }.joined(separator: "&")
    }
}

/// A complete HTTP response.
package struct HTTPResponse: Sendable {
    /// The URL that answered, after redirects.
    package let url: URL
    /// The HTTP status code.
    package let status: Int
    /// The `Content-Type` header, if any (`text/html; charset=utf-8`).
    package let contentType: String?
    /// The whole body.
    package let body: [UInt8]

    /// `404 Not Found`.
    package var statusText: String { "\(status) \(HTTPURLResponse.localizedString(forStatusCode: status))" }

    /// Creates a response.
    package init(url: URL, status: Int, contentType: String?, body: [UInt8]) {
        self.url = url
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

/// Why an attempt brought no response.
private struct TransferFailure: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// One transfer's state, filled in by the session's delegate queue.
private final class Transfer: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    let progress: HTTPClient.Progress?
    private let lock = NSLock()
    private var response: HTTPURLResponse?
    private var body: [UInt8] = []
    private var error: (any Error)?
    private var redirects = 0

    init(progress: HTTPClient.Progress?) { self.progress = progress }

    func received(_ response: URLResponse) {
        lock.withLock {
            self.response = response as? HTTPURLResponse
            body = []
        }
    }

    /// Counts a redirect and returns how many there were.
    func countRedirect() -> Int {
        lock.withLock {
            redirects += 1
            return redirects
        }
    }

    /// Adds bytes and reports progress, except for HTML pages (a licence page is not a download).
    func received(_ data: Data) {
        let (count, expected, isPage) = lock.withLock { () -> (Int, Int?, Bool) in
            body.append(contentsOf: data)
            let expected = response?.expectedContentLength ?? -1
            let isPage = response?.mimeType?.lowercased().contains("html") == true
            return (body.count, expected > 0 ? Int(expected) : nil, isPage)
        }
        if !isPage { progress?(count, expected) }
    }

    /// Ends the transfer; a complete download of unknown length reports its end as well.
    func finished(_ error: (any Error)?) {
        let (count, open) = lock.withLock { () -> (Int, Bool) in
            self.error = error
            let isPage = response?.mimeType?.lowercased().contains("html") == true
            return (body.count, error == nil && !isPage && (response?.expectedContentLength ?? -1) <= 0 && !body.isEmpty)
        }
        if open { progress?(count, count) }
        done.signal()
    }

    func result(for url: URL) -> Result<HTTPResponse, TransferFailure> {
        lock.withLock {
            if let error {
                let code = (error as? URLError).map { " (\($0.code.rawValue))" } ?? ""
                return .failure(TransferFailure("the download failed: \(error.localizedDescription)\(code)"))
            }
            guard let response else { return .failure(TransferFailure("the server sent no HTTP response")) }
            let expected = response.expectedContentLength
            if expected > 0, body.count < Int(expected) {
                return .failure(TransferFailure("the connection was closed after \(body.count) of \(expected) bytes"))
            }
            return .success(
                HTTPResponse(
                    url: response.url ?? url, status: response.statusCode,
                    contentType: response.value(forHTTPHeaderField: "Content-Type"), body: body))
        }
    }
}

/// The session's delegate: hands each task's events to its transfer.
private final class Dispatcher: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let cookies: CookieJar
    private let lock = NSLock()
    private var transfers: [Int: Transfer] = [:]

    init(cookies: CookieJar) { self.cookies = cookies }

    func register(_ transfer: Transfer, for task: Int) { lock.withLock { transfers[task] = transfer } }
    func unregister(_ task: Int) { _ = lock.withLock { transfers.removeValue(forKey: task) } }
    private func transfer(_ task: URLSessionTask) -> Transfer? { lock.withLock { transfers[task.taskIdentifier] } }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        if let response = response as? HTTPURLResponse { cookies.store(from: response) }
        transfer(dataTask)?.received(response)
        completionHandler(.allow)
    }

    /// Follows a redirect to the address its `Location` names, resolved against the response's
    /// own (swift-corelibs-foundation loses a trailing slash of a relative `Location`), as a GET
    /// after a POST (301, 302, 303), with the cookies the redirect set; at most ten in a row,
    /// after which the redirect itself is the answer.
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        guard let transfer = transfer(task), transfer.countRedirect() <= 10 else { return completionHandler(nil) }
        cookies.store(from: response)
        var redirected = request
        if [301, 302, 303].contains(response.statusCode), task.originalRequest?.httpMethod == "POST" {
            redirected.httpMethod = "GET"
            redirected.httpBody = nil
            redirected.setValue(nil, forHTTPHeaderField: "Content-Type")
        }
        if let location = response.value(forHTTPHeaderField: "Location"),
            let target = URL(string: location, relativeTo: response.url ?? task.originalRequest?.url)?.absoluteURL
        {
            redirected.url = target
        }
        redirected.setValue(cookies.header(for: redirected.url), forHTTPHeaderField: "Cookie")
        completionHandler(redirected)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        transfer(dataTask)?.received(data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        transfer(task)?.finished(error)
    }
}

using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace DefiCascade.Ethereum.Rpc;

/// <summary>JSON-RPC over HTTP POST with a per-request timeout.</summary>
public sealed class HttpRpcTransport : IRpcTransport, IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly string _redacted;

    public HttpRpcTransport(Uri url, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        _url = url;
        _redacted = RpcUrl.Redact(url);
        _http = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
    }

    public async Task<string> SendAsync(string requestJson, CancellationToken ct)
    {
        using var content = new StringContent(requestJson, Encoding.UTF8);
        content.Headers.ContentType = Json;
        try
        {
            using var response = await _http.PostAsync(_url, content, ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                var reason = $"HTTP {status} {response.ReasonPhrase}".TrimEnd();
                throw new RpcTransportException($"RPC endpoint {_redacted} answered {reason}", RpcFailureKind.HttpStatus, reason, status);
            }

            return body;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            var reason = $"no answer within {_http.Timeout.TotalSeconds:0.#} s";
            throw new RpcTransportException($"RPC endpoint {_redacted}: {reason}", RpcFailureKind.Timeout, reason);
        }
        catch (HttpRequestException e)
        {
            // A new exception without the inner one: the inner message is not ours to vouch for (it may quote the URL).
            var (kind, reason) = Classify(e);
            throw new RpcTransportException($"RPC endpoint {_redacted} unreachable ({reason}): {Sanitize(e.Message)}", kind, reason);
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Refused, reset or cut-off connections can pass (a restarting node, a busy gateway); DNS and TLS errors do not.</summary>
    private static (RpcFailureKind Kind, string Reason) Classify(HttpRequestException e)
    {
        var socket = e.InnerException as SocketException ?? e.InnerException?.InnerException as SocketException;
        switch (socket?.SocketErrorCode)
        {
            case SocketError.ConnectionRefused:
                return (RpcFailureKind.ConnectionFailed, "connection refused");
            case SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown:
                return (RpcFailureKind.ConnectionFailed, "connection reset");
            case SocketError.TimedOut:
                return (RpcFailureKind.Timeout, "connect timed out");
        }

        return e.HttpRequestError switch
        {
            HttpRequestError.ConnectionError => (RpcFailureKind.ConnectionFailed, "connection failed"),
            HttpRequestError.ResponseEnded => (RpcFailureKind.ConnectionFailed, "response ended early"),
            HttpRequestError.NameResolutionError => (RpcFailureKind.Unreachable, "host name not resolved"),
            HttpRequestError.SecureConnectionError => (RpcFailureKind.Unreachable, "TLS handshake failed"),
            _ => (RpcFailureKind.Unreachable, "request failed: " + e.HttpRequestError.ToString()),
        };
    }

    public override string ToString() => _redacted;

    private string Sanitize(string message)
    {
        var text = message.Replace(_url.OriginalString, _redacted, StringComparison.OrdinalIgnoreCase);
        var secret = _url.PathAndQuery;
        return secret.Length > 1 ? text.Replace(secret, "/***", StringComparison.Ordinal) : text;
    }
}

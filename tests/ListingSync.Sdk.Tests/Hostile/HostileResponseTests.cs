using System.Net;
using RichardSzalay.MockHttp;
using System.Net.Sockets;
using System.Text;
using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.Model;
using Microsoft.Extensions.DependencyInjection;

namespace ListingSync.Sdk.Tests.Hostile;

/// <summary>Issue 14, answers from a marketplace: a hostile or broken server is met with typed errors, never a hang or a crash.</summary>
public sealed class HostileResponseTests : IAsyncDisposable
{
    private readonly RawHttpServer _server = new();
    private ServiceProvider? _provider;

    private ManagemClient Client(Action<ManagemClientOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddListingSync().AddManagem(o =>
        {
            o.BaseAddress = _server.BaseAddress;
            o.AccessToken = "t";
            o.RateLimit.Enabled = false;
            o.Resilience.AttemptTimeout = TimeSpan.FromMilliseconds(400);
            o.Resilience.TotalTimeout = TimeSpan.FromSeconds(3);
            o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(10);
            o.Resilience.MaxDelay = TimeSpan.FromMilliseconds(50);
            o.Resilience.UseJitter = false;
            configure?.Invoke(o);
        });
        _provider = services.BuildServiceProvider();
        return _provider.GetRequiredService<ManagemClient>();
    }

    private const string Status = """{"sellerId":"s1","status":"ACTIVE","chargesEnabled":true,"payoutsEnabled":true}""";

    [Fact]
    public async Task A_body_that_stalls_after_the_headers_times_out_within_the_total_timeout()
    {
        _server.Respond = async (_, stream) =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"sellerId\":"));
            await Task.Delay(TimeSpan.FromSeconds(60)); // then nothing
        };
        var client = Client();

        var error = await Should.ThrowAsync<ListingSyncRequestException>(() => client.Seller.GetStatusAsync(SellerScope.Default).WaitAsync(TimeSpan.FromSeconds(20)));

        error.IsTimeout.ShouldBeTrue(error.Message);
        _server.Connections.ShouldBeGreaterThan(1); // the read was retried (idempotent), each attempt under its own timeout
    }

    [Fact]
    public async Task A_connection_cut_mid_body_is_retried_for_a_read_and_the_second_answer_is_used()
    {
        _server.Respond = async (attempt, stream) =>
        {
            var body = Encoding.UTF8.GetBytes(Status);
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"));
            await stream.WriteAsync(attempt == 1 ? body.AsMemory(0, 10) : body); // the first connection is cut after 10 bytes
        };
        var client = Client();

        var status = await client.Seller.GetStatusAsync(SellerScope.Default).WaitAsync(TimeSpan.FromSeconds(20));

        status.SellerId.ShouldBe("s1");
        _server.Connections.ShouldBe(2);
    }

    [Fact]
    public async Task A_huge_content_length_is_refused_before_anything_is_allocated()
    {
        _server.Respond = async (_, stream) =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1900000000\r\n\r\n{"));
            await Task.Delay(TimeSpan.FromSeconds(5));
        };
        var client = Client();
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var error = await Should.ThrowAsync<ListingSyncRequestException>(() => client.Seller.GetStatusAsync(SellerScope.Default).WaitAsync(TimeSpan.FromSeconds(20)));

        error.ErrorCode.ShouldBe("response-too-large");
        (GC.GetTotalAllocatedBytes(precise: true) - before).ShouldBeLessThan(50L * 1024 * 1024);
        _server.Connections.ShouldBe(1); // not retried: a second try would be refused the same way
    }

    [Fact]
    public async Task A_chunked_body_longer_than_the_cap_is_refused_while_it_is_read()
    {
        _server.Respond = async (_, stream) =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
            var chunk = new string('x', 4096);
            for (var i = 0; i < 64; i++)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{chunk.Length:X}\r\n{chunk}\r\n"));
            }
        };
        var client = Client(o => o.MaxResponseBytes = 64 * 1024);

        var error = await Should.ThrowAsync<ListingSyncRequestException>(() => client.Seller.GetStatusAsync(SellerScope.Default).WaitAsync(TimeSpan.FromSeconds(20)));

        error.ErrorCode.ShouldBe("response-too-large");
    }

    [Theory]
    [InlineData("<html><body>Service temporarily unavailable</body></html>", "starts: <html>")]
    [InlineData("", "empty")]
    [InlineData("""{"sellerId":"s1","status":""", "starts: {\"sellerId\"")]
    [InlineData("""{"total":"many","hits":[]}""", "starts: {\"total\"")]
    public async Task A_200_whose_body_is_not_the_answer_is_one_typed_error_keeping_the_start_of_the_body(string body, string shown)
    {
        _server.Respond = async (_, stream) =>
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {bytes.Length}\r\n\r\n"));
            await stream.WriteAsync(bytes);
        };
        var client = Client();

        var error = body.Contains("total", StringComparison.Ordinal)
            ? await Should.ThrowAsync<ListingSyncRequestException>(() => client.Listings.GetPageAsync(SellerScope.Default))
            : await Should.ThrowAsync<ListingSyncRequestException>(() => client.Seller.GetStatusAsync(SellerScope.Default));

        error.ErrorCode.ShouldBe("unreadable-body", error.Message);
        error.Message.ShouldContain(shown);
        error.RawBody.ShouldBe(body);
    }

    [Fact]
    public async Task A_bulk_answer_with_a_null_list_reports_every_row_unknown_instead_of_crashing_the_apply()
    {
        _server.Respond = async (_, stream) =>
        {
            var bytes = Encoding.UTF8.GetBytes("""{"successful":null,"failed":null}""");
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\n\r\n"));
            await stream.WriteAsync(bytes);
        };
        var client = Client(o => o.ResolveCreatedListingIds = false);

        var results = await client.Listings.CreateAsync(SellerScope.Default, [ManagemTestHost.Draft(1), ManagemTestHost.Draft(2)]);

        results.ShouldAllBe(r => r.Status == ListingWriteStatus.Unknown && r.Errors.Single().Rule == "not-reported");
    }

    public async ValueTask DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        await _server.DisposeAsync();
    }

    /// <summary>An HTTP/1.1 server on loopback that answers each connection with scripted bytes, then closes it.</summary>
    private sealed class RawHttpServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accept;
        private int _connections;

        public RawHttpServer()
        {
            _listener.Start();
            BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            _accept = AcceptAsync();
        }

        public Uri BaseAddress { get; }

        public int Connections => Volatile.Read(ref _connections);

        public Func<int, NetworkStream, Task> Respond { get; set; } = (_, _) => Task.CompletedTask;

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                var attempt = Interlocked.Increment(ref _connections);
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        var stream = client.GetStream();
                        var buffer = new byte[8192];
                        var seen = new StringBuilder();
                        while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                        {
                            var n = await stream.ReadAsync(buffer);
                            if (n == 0)
                            {
                                return;
                            }

                            seen.Append(Encoding.ASCII.GetString(buffer, 0, n));
                        }

                        try
                        {
                            await Respond(attempt, stream).WaitAsync(_stop.Token);
                        }
                        catch (Exception)
                        {
                            // the client went away, or the test ended
                        }
                    }
                });
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accept;
            _stop.Dispose();
        }
    }
}

/// <summary>Issue 14: numbers and dates of the wrong shape in a listing are one typed error naming the operation, the listing and the field.</summary>
public class HostileListingFieldTests
{
    [Theory]
    [InlineData("\"quantity\":3000000000", "'quantity' must be between 0 and 2147483647 (was 3000000000)")]
    [InlineData("\"quantity\":2.5", "'quantity' must be a whole number within 64 bits (was 2.5)")]
    [InlineData("\"price\":4.99", "'price' must be a whole number within 64 bits (was 4.99)")]
    [InlineData("\"price\":1e30", "'price' must be a whole number within 64 bits (was 1e30)")]
    [InlineData("\"createdAt\":12345", "'createdAt' must be an ISO 8601 date-time string (was 12345)")]
    [InlineData("\"available\":-1", "'available' must be between 0 and 2147483647 (was -1)")]
    public async Task A_field_of_the_wrong_shape_names_the_operation_the_listing_and_the_field(string field, string expected)
    {
        var mock = new RichardSzalay.MockHttp.MockHttpMessageHandler();
        mock.When(HttpMethod.Get, ManagemTestHost.Base + "seller/listings/lst_7").Respond("application/json",
            """{"id":"lst_7","condition":"NM","language":"English","price":125,"quantity":1,""" + field + ""","item":{"urn":"urn:managem:pokemon:set/151/card/7"}}""");
        using var host = new ManagemTestHost(mock);

        var error = await Should.ThrowAsync<ListingSyncRequestException>(() => host.Client.Listings.GetAsync(ManagemTestHost.Seller, "lst_7"));

        error.ErrorCode.ShouldBe("unreadable-body");
        error.Operation.ShouldBe("listings.get");
        error.Message.ShouldContain("listing lst_7");
        error.Message.ShouldContain(expected);
    }
}

/// <summary>Issue 14: an import job's answer of the wrong shape is one typed error naming the operation, the job and the field.</summary>
public class HostileImportJobFieldTests
{
    [Theory]
    [InlineData("\"total\":2.5", "'total'")]
    [InlineData("\"successful\":-4", "'successful'")]
    [InlineData("\"failed\":1e30", "'failed'")]
    [InlineData("\"createdAt\":12345", "'createdAt'")]
    [InlineData("\"status\":7", "'status'")]
    public async Task A_field_of_the_wrong_shape_names_the_operation_the_job_and_the_field(string field, string expected)
    {
        var mock = new RichardSzalay.MockHttp.MockHttpMessageHandler();
        mock.When(HttpMethod.Get, ManagemTestHost.Base + "seller/imports/imp_9").Respond("application/json",
            """{"id":"imp_9","status":"RUNNING","total":10,"successful":3,"failed":0,""" + field + "}");
        using var host = new ManagemTestHost(mock);

        var error = await Should.ThrowAsync<ListingSyncRequestException>(() => host.Client.ImportJobs.GetAsync(ManagemTestHost.Seller, "imp_9"));

        error.ErrorCode.ShouldBe("unreadable-body");
        error.Operation.ShouldBe("imports.get");
        error.Message.ShouldContain("import imp_9");
        error.Message.ShouldContain(expected);
    }

    [Fact]
    public async Task An_error_report_row_of_the_wrong_shape_names_the_job_and_the_field()
    {
        var mock = new RichardSzalay.MockHttp.MockHttpMessageHandler();
        mock.When(HttpMethod.Get, ManagemTestHost.Base + "seller/imports/imp_9/errors").Respond("application/json",
            """{"errors":[{"code":400,"message":"line 3: bad price","line":"a,b"},{"code":404,"message":["not","text"],"line":"c,d"}]}""");
        using var host = new ManagemTestHost(mock);

        var error = await Should.ThrowAsync<ListingSyncRequestException>(() => host.Client.ImportJobs.GetErrorsAsync(ManagemTestHost.Seller, "imp_9"));

        error.ErrorCode.ShouldBe("unreadable-body");
        error.Message.ShouldContain("import imp_9");
        error.Message.ShouldContain("errors[1].message");
    }
}

using System.Net;
using RichardSzalay.MockHttp;
using static ListingSync.Sdk.Tests.ManagemTestHost;

namespace ListingSync.Sdk.Tests.Managem;

public class ManagemErrorTests
{
    [Fact]
    public async Task A_validation_error_body_becomes_a_request_exception_with_fields_code_request_id_and_raw_body()
    {
        const string Body = """{"code":"VALIDATION_ERROR","message":"Invalid listing","errors":[{"field":"price","rule":"min","message":"must be >= 0"}]}""";
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Put, Base + "seller/listings/lst_1").Respond(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.UnprocessableEntity) { Content = new StringContent(Body) };
            response.Headers.Add("x-request-id", "req-42");
            return response;
        });
        using var host = new ManagemTestHost(mock);

        var error = await Should.ThrowAsync<ListingSyncRequestException>(() => host.Client.Listings.UpdateAsync(Seller, "lst_1", Draft(1)));

        error.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        error.ErrorCode.ShouldBe("VALIDATION_ERROR");
        error.ErrorMessage.ShouldBe("Invalid listing");
        error.RequestId.ShouldBe("req-42");
        error.RawBody.ShouldBe(Body);
        error.Channel.ShouldBe("managem");
        error.Operation.ShouldBe("listings.update");
        error.FieldErrors.ShouldHaveSingleItem().ShouldBe(new FieldError("price", "min", "must be >= 0"));
        error.Message.ShouldContain("422");
        error.OutcomeUnknown.ShouldBeFalse();
    }

    [Theory]
    [InlineData("""{"error":"Unauthorized"}""", null, "Unauthorized")]
    [InlineData("""{"error":{"code":"AUTH","message":"Token expired"}}""", "AUTH", "Token expired")]
    [InlineData("""{"statusCode":401,"message":"nope","code":401}""", "401", "nope")]
    [InlineData("<html>bad gateway</html>", null, null)]
    [InlineData("", null, null)]
    public async Task Error_bodies_of_other_shapes_are_read_leniently(string body, string? code, string? message)
    {
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Get, Base + "seller").Respond(HttpStatusCode.Unauthorized, "application/json", body);
        using var host = new ManagemTestHost(mock);

        var error = await Should.ThrowAsync<ListingSyncRequestException>(() => host.Client.Seller.GetAccountAsync(Seller));

        error.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        error.ErrorCode.ShouldBe(code);
        error.ErrorMessage.ShouldBe(message);
        error.RawBody.ShouldBe(body);
    }

    [Fact]
    public async Task A_success_body_that_is_not_json_gives_a_clear_error()
    {
        var mock = new MockHttpMessageHandler();
        mock.When(HttpMethod.Get, Base + "seller/status").Respond("application/json", "{not json");
        using var host = new ManagemTestHost(mock);

        var error = await Should.ThrowAsync<ListingSyncRequestException>(() => host.Client.Seller.GetStatusAsync(Seller));

        error.Message.ShouldContain("could not read");
        error.InnerException.ShouldBeOfType<System.Text.Json.JsonException>();
    }
}

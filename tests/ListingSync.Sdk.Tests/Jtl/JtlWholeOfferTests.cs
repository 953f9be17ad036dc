using System.Text.Json;
using ListingSync.Sdk.Channels.Jtl;
using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Tests.Jtl;

/// <summary>Issue 15: a whole offer (Seller:Offer.New / Update) reaches the canonical listing with nothing the seller sent lost.</summary>
public class JtlWholeOfferTests
{
    // The fields of jtl-scx/channel-api-client's generated model SellerEventOfferNew (sellerId, offerId,
    // channelCategoryId, quantity, priceList, title, subTitle, description, mainPicture, pictureList,
    // channelAttributeList, sku, ean, gtin, upc, isbn, srp, productAttributeList) and of this SDK's JtlOffer (taxPercent,
    // mpn, brand, parentOfferId), with quantity-tiered prices, a grouped channel attribute and a field JTL may add later.
    private const string Offer = """
        {"sellerId":"s1","offerId":1001,"parentOfferId":900,"channelCategoryId":"cat-42","quantity":"12.0000",
         "taxPercent":"19.00","srp":{"amount":"9.99","currency":"EUR"},
         "priceList":[{"id":"B2C","quantityPriceList":[{"amount":"5.23","currency":"EUR","quantity":"1"},{"amount":"4.90","currency":"EUR","quantity":"10"}]},
                      {"id":"B2B","quantityPriceList":[{"amount":"4.40","currency":"EUR","quantity":"1"}]}],
         "title":"Kaffeebecher","subTitle":"Steinzeug, 300 ml","description":"<p>Spülmaschinenfest</p>",
         "mainPicture":"https://img.example/1.jpg","pictureList":["https://img.example/2.jpg","https://img.example/3.jpg"],
         "channelAttributeList":[{"attributeId":"color","value":"blue","group":"1"},{"attributeId":"size","value":"L"}],
         "productAttributeList":[{"attributeId":"material","value":"stoneware"}],
         "sku":"MUG-1","ean":"4006381333931","gtin":"04006381333931","upc":null,"isbn":null,"mpn":"M-300","brand":"Acme",
         "futureField":{"anything":[1,2,3]}}
        """;

    private static JtlEvent Event() => new()
    {
        Id = "e1",
        Type = JtlEventTypes.OfferNew,
        CreatedAt = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.FromHours(1)),
        Event = JsonDocument.Parse(Offer).RootElement.Clone(),
    };

    [Fact]
    public void Every_field_of_a_whole_offer_lands_in_the_canonical_listing_or_its_extensions()
    {
        var listing = JtlEventMapper.ToListingEvent(Event()).Listing.ShouldNotBeNull();

        listing.Titles["und"].ShouldBe("Kaffeebecher");
        listing.Descriptions["und"].ShouldBe("<p>Spülmaschinenfest</p>");
        listing.Category.ShouldBe("cat-42");
        listing.Pictures.Select(p => p.Url).ShouldBe(["https://img.example/1.jpg", "https://img.example/2.jpg", "https://img.example/3.jpg"]);
        listing.Attributes.ShouldBe([new ListingAttribute("color", "blue", "1"), new ListingAttribute("size", "L", "channel"), new ListingAttribute("material", "stoneware", "product")]);
        (listing.Item.Sku, listing.Item.Gtin).ShouldBe(("MUG-1", "04006381333931"));
        (listing.Price, listing.Quantity).ShouldBe((new Money(5.23m, "EUR"), 12));
        listing.Extensions["subTitle"].GetString().ShouldBe("Steinzeug, 300 ml");
        listing.Extensions["taxPercent"].GetString().ShouldBe("19.00");
        listing.Extensions["srp"].GetProperty("amount").GetString().ShouldBe("9.99");
        listing.Extensions["priceList"][0].GetProperty("quantityPriceList")[1].GetProperty("amount").GetString().ShouldBe("4.90"); // the tier
        listing.Extensions["priceList"][1].GetProperty("id").GetString().ShouldBe("B2B");
        listing.Extensions["futureField"].GetProperty("anything").GetArrayLength().ShouldBe(3);

        // Nothing dropped: every field sent is either a canonical field or kept unchanged in the extensions.
        using var sent = JsonDocument.Parse(Offer);
        var canonical = new[] { "sellerId", "offerId", "quantity", "title", "description", "channelCategoryId", "mainPicture", "pictureList", "channelAttributeList", "productAttributeList", "sku", "gtin" };
        foreach (var field in sent.RootElement.EnumerateObject())
        {
            if (!canonical.Contains(field.Name))
            {
                listing.Extensions.ContainsKey(field.Name).ShouldBeTrue(field.Name);
                listing.Extensions[field.Name].GetRawText().ShouldBe(field.Value.GetRawText());
            }
        }
    }
}

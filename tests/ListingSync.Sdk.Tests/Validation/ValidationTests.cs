using ListingSync.Sdk.Channels.Managem;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Validation;
using static ListingSync.Sdk.Tests.ManagemTestHost;

namespace ListingSync.Sdk.Tests.Validation;

public class ValidationTests
{
    private static readonly ManagemClientOptions Options = new();

    private static IReadOnlyList<FieldError> Check(ListingDraft draft, bool forCreate = true) => ManagemValidator.ValidateDraft(draft, Options, forCreate);

    [Fact]
    public void A_valid_draft_has_no_errors() => Check(Draft(1)).ShouldBeEmpty();

    [Fact]
    public void Reference_longer_than_255_after_trimming_is_refused()
    {
        Check(Draft(1, reference: new string('r', 256))).ShouldHaveSingleItem().ShouldBe(new FieldError("reference", "max-length", "must be at most 255 characters after trimming (was 256)"));
    }

    [Fact]
    public void Reference_of_255_with_surrounding_spaces_is_accepted_and_trimmed()
    {
        var draft = Draft(1, reference: "  " + new string('r', 255) + "  ");
        Check(draft).ShouldBeEmpty();
        ListingDraftValidator.NormalizeReference(draft.Reference)!.Length.ShouldBe(255);
    }

    [Fact]
    public void An_empty_reference_is_allowed_because_it_clears_the_stored_one() =>
        Check(Draft(1, reference: "   ")).ShouldBeEmpty();

    [Fact]
    public void Negative_price_is_refused() =>
        Check(Draft(1, price: -0.01m)).ShouldContain(e => e.Field == "price" && e.Rule == "non-negative");

    [Fact]
    public void Negative_quantity_is_refused() =>
        Check(Draft(1, quantity: -1)).ShouldContain(e => e.Field == "quantity" && e.Rule == "non-negative");

    [Fact]
    public void A_draft_without_any_identity_is_refused() =>
        Check(Draft(1) with { Item = new ItemIdentity() }).ShouldContain(e => e.Field == "item" && e.Rule == "identity-required");

    [Fact]
    public void Managem_creates_need_a_urn_not_just_another_identifier() =>
        Check(Draft(1) with { Item = new ItemIdentity { CardmarketId = 5 } }).ShouldContain(e => e.Field == "item.urn" && e.Rule == "urn-required");

    [Theory]
    [InlineData("urn:managem:Pokemon:set/151/card/1")]
    [InlineData("urn:managem:pokemon:set/151/card/1/")]
    [InlineData("urn:other:pokemon:set/151/card/1")]
    public void Non_canonical_urns_are_refused(string urn) =>
        Check(Draft(1, urn: urn)).ShouldContain(e => e.Field == "item.urn" && e.Rule == "urn-format");

    [Fact]
    public void A_price_in_another_currency_is_refused_not_converted() =>
        Check(Draft(1) with { Price = Money.Eur(1m) }).ShouldContain(e => e.Field == "price.currency" && e.Rule == "currency");

    [Fact]
    public void A_price_finer_than_a_penny_is_refused_not_rounded() =>
        Check(Draft(1, price: 1.005m)).ShouldContain(e => e.Field == "price" && e.Rule == "precision");

    [Fact]
    public void Empty_language_is_refused() =>
        Check(Draft(1) with { Language = " " }).ShouldContain(e => e.Field == "language" && e.Rule == "required");

    [Fact]
    public void Empty_variant_ids_are_refused() =>
        Check(Draft(1) with { Variants = ["holo", ""] }).ShouldContain(e => e.Field == "variants" && e.Rule == "no-empty-entries");

    [Theory]
    [InlineData(0)]
    [InlineData(51)]
    public void Search_page_size_outside_1_to_50_is_refused(int size)
    {
        var error = Should.Throw<ListingSyncValidationException>(() => ManagemValidator.ValidatePageSize(size));
        error.Errors.ShouldHaveSingleItem().ShouldBe(new FieldError("size", "range", $"must be between 1 and 50 (was {size})"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    public void Search_page_sizes_at_the_bounds_are_accepted(int size) =>
        Should.NotThrow(() => ManagemValidator.ValidatePageSize(size));

    [Fact]
    public void Field_paths_carry_the_prefix() =>
        ListingDraftValidator.Validate(Draft(1, quantity: -1), "drafts[3]").ShouldHaveSingleItem().Field.ShouldBe("drafts[3].quantity");

    [Fact]
    public void Money_refuses_a_currency_that_is_not_iso_4217() =>
        Should.Throw<ArgumentException>(() => new Money(1m, "pounds")).Message.ShouldContain("ISO 4217");
}

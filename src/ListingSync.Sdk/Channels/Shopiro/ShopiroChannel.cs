using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;

namespace ListingSync.Sdk.Channels.Shopiro;

/// <summary>
/// Shopiro as an <see cref="IListingChannel"/>: get, create and update through the manage endpoint; no listing
/// enumeration (Shopiro publishes none), so the reconciler plans from the mapping store with per-listing reads and says
/// that listings created outside the host cannot be seen. Removal sets the listing as a draft (<c>is_draft = 1</c>):
/// Shopiro publishes no delete. The host's reference is kept in <c>custom_reference</c>. Updates read the listing and
/// send it back changed, so fields the SDK does not model survive.
/// </summary>
public sealed class ShopiroChannel : IListingChannel
{
    private const string UnknownLanguage = "und";
    private readonly ShopiroClient _client;

    /// <summary>Creates the channel over <paramref name="client"/>.</summary>
    public ShopiroChannel(ShopiroClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

    /// <inheritdoc />
    public string Name => ShopiroClientOptions.ChannelName;

    /// <inheritdoc />
    public ChannelCapabilities Capabilities =>
        ChannelCapabilities.GetListing | ChannelCapabilities.CreateListings | ChannelCapabilities.UpdateListings | ChannelCapabilities.Delist | ChannelCapabilities.StoresReference;

    /// <summary>None: Shopiro cannot list a seller's listings, so none can be found to adopt.</summary>
    public IReadOnlyList<ListingMatchKey> MatchKeys => [];

    /// <inheritdoc />
    public ListingFields Fields => ListingFields.Price | ListingFields.Quantity | ListingFields.Visibility | ListingFields.Condition
        | ListingFields.Titles | ListingFields.Descriptions | ListingFields.Pictures | ListingFields.Package | ListingFields.QuantityByLocation;

    /// <inheritdoc />
    public async IAsyncEnumerable<Listing> GetListingsAsync(SellerScope seller, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        throw CannotList();
#pragma warning disable CS0162 // an async iterator needs a yield
        yield break;
#pragma warning restore CS0162
    }

    /// <inheritdoc />
    public Task<ListingPage<Listing>> GetListingsPageAsync(SellerScope seller, string? continuationToken = null, CancellationToken cancellationToken = default) =>
        throw CannotList();

    /// <inheritdoc />
    public async Task<Listing?> GetListingAsync(SellerScope seller, string listingId, CancellationToken cancellationToken = default)
    {
        var listing = await _client.GetAsync(seller, listingId, cancellationToken).ConfigureAwait(false);
        return listing is null ? null : ToListing(listing, listingId);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ListingWriteResult>> CreateListingsAsync(SellerScope seller, IReadOnlyList<ListingDraft> drafts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(drafts);
        var results = new ListingWriteResult[drafts.Count];
        for (var i = 0; i < drafts.Count; i++)
        {
            var draft = drafts[i];
            if (Validate(draft) is { Count: > 0 } broken)
            {
                results[i] = new ListingWriteResult { Index = i, Reference = draft?.Reference, Status = ListingWriteStatus.Rejected, Errors = broken };
                continue;
            }

            try
            {
                var answer = await _client.CreateAsync(seller, Apply(NewListing(), draft!), cancellationToken).ConfigureAwait(false);
                results[i] = answer.IsSuccess && answer.Slid is { } slid
                    ? new ListingWriteResult { Index = i, Reference = draft!.Reference, Status = ListingWriteStatus.Succeeded, ListingId = slid }
                    : new ListingWriteResult { Index = i, Reference = draft!.Reference, Status = answer.IsSuccess ? ListingWriteStatus.Unknown : ListingWriteStatus.Rejected, Errors = answer.FieldErrors };
            }
            catch (ListingSyncRequestException ex)
            {
                results[i] = new ListingWriteResult { Index = i, Reference = draft!.Reference, Status = ex.OutcomeUnknown ? ListingWriteStatus.Unknown : ListingWriteStatus.Failed, Errors = ex.FieldErrors, Exception = ex };
            }
        }

        return results;
    }

    /// <inheritdoc />
    public async Task<ListingWriteResult> UpdateListingAsync(SellerScope seller, string listingId, ListingDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (Validate(draft) is { Count: > 0 } broken)
        {
            return new ListingWriteResult { Reference = draft.Reference, ListingId = listingId, Status = ListingWriteStatus.Rejected, Errors = broken };
        }

        return await ReadModifyWriteAsync(seller, listingId, draft.Reference, current => Apply(current, draft), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets the listing as a draft (<c>is_draft = 1</c>): Shopiro publishes no delete. Idempotent.</summary>
    public Task<ListingWriteResult> RemoveListingAsync(SellerScope seller, string listingId, CancellationToken cancellationToken = default) =>
        ReadModifyWriteAsync(seller, listingId, null, current => current with { IsDraftFlag = 1 }, cancellationToken);

    private async Task<ListingWriteResult> ReadModifyWriteAsync(SellerScope seller, string listingId, string? reference, Func<ShopiroListing, ShopiroListing> change, CancellationToken cancellationToken)
    {
        try
        {
            var current = await _client.GetAsync(seller, listingId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return new ListingWriteResult { Reference = reference, ListingId = listingId, Status = ListingWriteStatus.Failed, Errors = [new FieldError("listingId", "not-found", $"Shopiro has no listing {listingId} ({ShopiroClient.Reasons.FailedRetrieving})")] };
            }

            var answer = await _client.UpdateAsync(seller, listingId, change(current), cancellationToken).ConfigureAwait(false);
            return answer.IsSuccess
                ? new ListingWriteResult { Reference = reference, ListingId = listingId, Status = ListingWriteStatus.Succeeded }
                : new ListingWriteResult { Reference = reference, ListingId = listingId, Status = ListingWriteStatus.Rejected, Errors = answer.FieldErrors };
        }
        catch (ListingSyncRequestException ex)
        {
            return new ListingWriteResult { Reference = reference, ListingId = listingId, Status = ListingWriteStatus.Failed, Errors = ex.FieldErrors, Exception = ex };
        }
    }

    private NotSupportedException CannotList() =>
        new($"{Name} cannot list a seller's listings (capability {nameof(ChannelCapabilities.ReadListings)}): Shopiro publishes no such call. Plan from the mapping store with per-listing reads (the reconciler does this for channels without ReadListings).");

    private List<FieldError> Validate(ListingDraft? draft)
    {
        var errors = new List<FieldError>();
        if (draft is null)
        {
            errors.Add(new FieldError("draft", "required", "must not be null"));
            return errors;
        }

        var currency = _client.Options.Currency;
        if (!string.Equals(draft.Price.Currency, currency, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new FieldError("price.currency", "currency", $"Shopiro prices are in {currency} (metadata.price); convert {draft.Price.Currency} first"));
        }

        if (draft.Price.Amount < 0)
        {
            errors.Add(new FieldError("price", "min", $"must not be negative (was {draft.Price.Amount})"));
        }

        if (draft.Quantity < 0)
        {
            errors.Add(new FieldError("quantity", "min", $"must not be negative (was {draft.Quantity})"));
        }

        if (!draft.Titles.Values.Any(t => !string.IsNullOrWhiteSpace(t)))
        {
            // Not made up from Item.Name: a title the host did not give would differ from the draft on every plan.
            errors.Add(new FieldError("titles", "required", "Shopiro needs a title in at least one language: set ListingDraft.Titles, e.g. { [\"en-CA\"] = \"Cargo shorts\" }"));
        }

        if (draft.QuantityByLocation.Count > 0 && draft.QuantityByLocation.Values.Sum() != draft.Quantity)
        {
            errors.Add(new FieldError("quantityByLocation", "sum", $"the warehouses hold {draft.QuantityByLocation.Values.Sum()}, the quantity is {draft.Quantity}: Shopiro's cumulative quantity must be their sum"));
        }

        return errors;
    }

    private static ShopiroListing NewListing() => new()
    {
        Type = ShopiroListing.LowVolumeType,
        ListingType = ShopiroListing.LowVolumeType,
        Subtype = "",
        IsDraftFlag = 0,
    };

    /// <summary>The draft's canonical fields written onto <paramref name="listing"/>; everything else on it is kept.</summary>
    private ShopiroListing Apply(ShopiroListing listing, ListingDraft draft)
    {
        var titles = draft.Titles.ToDictionary(t => t.Key, t => (string?)t.Value, StringComparer.Ordinal);
        var metadata = listing.Metadata ?? new ShopiroMetadata();
        var warehouses = Warehouses(listing.InventoryData?.Warehouses, draft);
        return listing with
        {
            Titles = titles,
            Descriptions = draft.Descriptions.Count > 0 ? draft.Descriptions.ToDictionary(d => d.Key, d => (string?)d.Value, StringComparer.Ordinal) : listing.Descriptions ?? new Dictionary<string, string?>(StringComparer.Ordinal),
            CustomReferenceJson = draft.Reference is { Length: > 0 } reference ? JsonSerializer.SerializeToElement(reference, ShopiroJson.Default.String) : listing.CustomReferenceJson,
            IsDraftFlag = draft.Visibility == ListingVisibility.Hidden ? 1 : 0,
            Metadata = metadata with
            {
                Price = draft.Price.Amount,
                AvailableQuantity = draft.Quantity,
                PhysicalCondition = (metadata.PhysicalCondition ?? new ShopiroPhysicalCondition()) with { Type = draft.Condition.Code.ToLowerInvariant() },
                Pictures = draft.Pictures.Count > 0 ? [.. draft.Pictures.Select(p => p.Url)] : metadata.Pictures ?? [],
            },
            InventoryData = (listing.InventoryData ?? new ShopiroInventoryData()) with { CumulativeQuantity = draft.Quantity, Warehouses = warehouses },
            ShippingData = draft.Package is { } package
                ? (listing.ShippingData ?? new ShopiroShippingData()) with { XDimension = package.Length, YDimension = package.Width, ZDimension = package.Height, Weight = package.Weight }
                : listing.ShippingData,
        };
    }

    /// <summary>Per-warehouse quantities from the draft (existing warehouses keep their coordinates), else the one warehouse there is.</summary>
    private List<ShopiroInventoryWarehouse> Warehouses(List<ShopiroInventoryWarehouse>? existing, ListingDraft draft)
    {
        existing ??= [];
        if (draft.QuantityByLocation.Count > 0)
        {
            return [.. draft.QuantityByLocation.Select(q =>
            {
                var known = existing.FirstOrDefault(w => w.LocationKey == q.Key);
                if (known is not null)
                {
                    return known with { Quantity = q.Value };
                }

                var parts = q.Key.Split('/');
                return new ShopiroInventoryWarehouse { Country = parts.ElementAtOrDefault(0), Subdivision = parts.ElementAtOrDefault(1), PostalCode = parts.ElementAtOrDefault(2), Quantity = q.Value };
            })];
        }

        if (existing.Count == 1)
        {
            return [existing[0] with { Quantity = draft.Quantity }];
        }

        if (existing.Count == 0 && _client.Options.DefaultWarehouse is { } fallback)
        {
            var parts = fallback.Split('/');
            return [new ShopiroInventoryWarehouse { Country = parts[0], Subdivision = parts[1], PostalCode = parts[2], Quantity = draft.Quantity }];
        }

        return existing; // several warehouses and no split given: the host owns the total only
    }

    private Listing ToListing(ShopiroListing listing, string listingId)
    {
        var titles = Texts(listing.Titles);
        var metadata = listing.Metadata;
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(_client.Options.CreationDateTimeZone, out var found) ? found : TimeZoneInfo.Utc;
        var shipping = listing.ShippingData;
        return new Listing
        {
            Id = listing.EListingId ?? listingId,
            SellerId = listing.SellerId?.ToString(CultureInfo.InvariantCulture),
            Reference = listing.CustomReference,
            Item = new ItemIdentity { Name = titles.Values.FirstOrDefault() },
            Condition = metadata?.PhysicalCondition?.Type is { Length: > 0 } condition ? new ListingCondition(condition.ToUpperInvariant()) : ListingCondition.New,
            Language = titles.Keys.FirstOrDefault() ?? UnknownLanguage,
            Price = new Money(metadata?.Price ?? 0m, _client.Options.Currency),
            Quantity = metadata?.AvailableQuantity ?? listing.InventoryData?.CumulativeQuantity ?? 0,
            Available = metadata?.AvailableQuantity,
            Visibility = listing.IsDraft ? ListingVisibility.Hidden : ListingVisibility.Visible,
            Titles = titles,
            Descriptions = Texts(listing.Descriptions),
            Category = listing.Categories is { Count: > 0 } categories
                ? string.Join(" > ", categories.OrderBy(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue).Select(c => c.Value))
                : null,
            Pictures = [.. (metadata?.Pictures ?? []).Select(p => new ListingPicture(p))],
            Package = shipping is { XDimension: { } x, YDimension: { } y, ZDimension: { } z, Weight: { } w } ? new PackageDimensions(x, y, z, w) : null,
            QuantityByLocation = (listing.InventoryData?.Warehouses ?? []).Where(w => w.Quantity is not null).GroupBy(w => w.LocationKey).ToDictionary(g => g.Key, g => g.Sum(w => w.Quantity ?? 0), StringComparer.Ordinal),
            CreatedAt = listing.CreatedAt(zone),
        };
    }

    private static Dictionary<string, string> Texts(Dictionary<string, string?>? texts) =>
        (texts ?? []).Where(t => !string.IsNullOrEmpty(t.Value)).ToDictionary(t => t.Key, t => t.Value!, StringComparer.Ordinal);
}

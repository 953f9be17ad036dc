using System.Globalization;
using System.Text;
using System.Text.Json;
using ListingSync.Sdk.Model;
using ListingSync.Sdk.Reconciliation;

namespace ListingSync.Sdk.MultiChannel;

/// <summary>One channel's part of a combined plan: its plan, or why it could not be planned.</summary>
/// <param name="Channel">The channel's name.</param>
/// <param name="Plan">The channel's plan; null when planning failed.</param>
/// <param name="Error">Why planning failed.</param>
public sealed record ChannelPlan(string Channel, ReconciliationPlan? Plan, Exception? Error);

/// <summary>A plan across channels: each channel's plan, and the totals.</summary>
/// <param name="Seller">The seller.</param>
/// <param name="Channels">One entry per channel.</param>
public sealed record MultiChannelPlan(SellerScope Seller, IReadOnlyList<ChannelPlan> Channels)
{
    /// <summary>Steps with <paramref name="action"/> over every channel.</summary>
    public int Count(PlanAction action) => Channels.Sum(c => c.Plan?.Count(action) ?? 0);

    /// <summary>True when any channel has something to write.</summary>
    public bool HasChanges => Channels.Any(c => c.Plan?.HasChanges == true);

    /// <summary>Channels that could not be planned.</summary>
    public IEnumerable<ChannelPlan> Failed => Channels.Where(c => c.Plan is null);

    /// <summary>A table: one row per channel (counts per action, drift, limitations, blocks) and the total.</summary>
    public string ToTable()
    {
        var actions = new[] { PlanAction.Create, PlanAction.Update, PlanAction.Remove, PlanAction.Link, PlanAction.Reject, PlanAction.FlagUncertain };
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"channel",-18}");
        foreach (var action in actions)
        {
            text.Append(CultureInfo.InvariantCulture, $" {action,8}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $" {"drift",6}  notes");
        foreach (var channel in Channels)
        {
            text.Append(CultureInfo.InvariantCulture, $"{channel.Channel,-18}");
            foreach (var action in actions)
            {
                text.Append(CultureInfo.InvariantCulture, $" {(channel.Plan is { } p ? p.Count(action).ToString(CultureInfo.InvariantCulture) : "-"),8}");
            }

            var notes = channel.Plan is { } plan
                ? string.Join("; ", plan.MissingPrerequisites.Select(m => "blocked: " + m.Name).Concat(plan.Limitations.Select(l => "cannot see: " + l)))
                : "not planned: " + channel.Error?.Message;
            text.AppendLine(CultureInfo.InvariantCulture, $" {channel.Plan?.Drift.Count ?? 0,6}  {notes}");
        }

        text.Append(CultureInfo.InvariantCulture, $"{"total",-18}");
        foreach (var action in actions)
        {
            text.Append(CultureInfo.InvariantCulture, $" {Count(action),8}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $" {Channels.Sum(c => c.Plan?.Drift.Count ?? 0),6}");
        return text.ToString();
    }

    /// <summary>The combined plan as JSON: each channel's plan (its own <c>ToJson()</c>) and the totals.</summary>
    public string ToJson()
    {
        return IndentedJson.Write(json =>
        {
            json.WriteStartObject();
            json.WriteString("seller", Seller.SellerId);
            json.WriteStartObject("total");
            foreach (var action in Enum.GetValues<PlanAction>())
            {
                json.WriteNumber(action.ToString(), Count(action));
            }

            json.WriteEndObject();
            json.WriteStartArray("channels");
            foreach (var channel in Channels)
            {
                json.WriteStartObject();
                json.WriteString("channel", channel.Channel);
                if (channel.Plan is { } plan)
                {
                    json.WritePropertyName("plan");
                    using var inner = JsonDocument.Parse(plan.ToJson());
                    inner.RootElement.WriteTo(json);
                }
                else
                {
                    json.WriteString("error", channel.Error?.Message);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }
}

/// <summary>One channel's part of a multi-channel apply.</summary>
/// <param name="Channel">The channel's name.</param>
/// <param name="Result">The apply's result per item; null when the channel was not planned or its apply failed.</param>
/// <param name="Error">Why the channel was not applied.</param>
public sealed record ChannelResult(string Channel, ReconciliationResult? Result, Exception? Error);

/// <summary>The result of a multi-channel apply: per channel and per item.</summary>
/// <param name="Channels">One entry per channel.</param>
public sealed record MultiChannelResult(IReadOnlyList<ChannelResult> Channels)
{
    /// <summary>Items written, over every channel.</summary>
    public int Succeeded => Channels.Sum(c => c.Result?.Succeeded ?? 0);

    /// <summary>Items not written, over every channel.</summary>
    public int NotSucceeded => Channels.Sum(c => c.Result?.NotSucceeded ?? 0);

    /// <summary>True when every channel applied and every item was written.</summary>
    public bool IsSuccess => Channels.All(c => c.Error is null && c.Result is { NotSucceeded: 0 });
}

/// <summary>What a targeted sync did with one product on one channel.</summary>
public enum TargetedOutcome
{
    /// <summary>The listing was written.</summary>
    Written = 0,

    /// <summary>The listing already had this state: nothing was sent.</summary>
    Unchanged = 1,

    /// <summary>The product is not listed on this channel yet (a full sync lists it).</summary>
    NotListed = 2,

    /// <summary>The channel's policy does not take this product, and it has no listing there.</summary>
    NotForThisChannel = 3,

    /// <summary>The write failed; see the message.</summary>
    Failed = 4,
}

/// <summary>One product on one channel in a targeted sync.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="Reference">The host's reference.</param>
/// <param name="ListingId">The listing, when mapped.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Message">Why it failed.</param>
public sealed record TargetedWrite(string Channel, string Reference, string? ListingId, TargetedOutcome Outcome, string? Message);

/// <summary>The result of a targeted sync: one entry per product and channel.</summary>
/// <param name="Writes">The entries.</param>
public sealed record TargetedSyncResult(IReadOnlyList<TargetedWrite> Writes)
{
    /// <summary>Entries with <paramref name="outcome"/>.</summary>
    public int Count(TargetedOutcome outcome) => Writes.Count(w => w.Outcome == outcome);
}

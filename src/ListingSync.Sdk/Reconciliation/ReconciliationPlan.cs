using System.Globalization;
using System.Text;
using System.Text.Json;
using ListingSync.Sdk.Mapping;

namespace ListingSync.Sdk.Reconciliation;

/// <summary>
/// The difference between what the host wants listed and what the marketplace has, as steps. Print it (a dry run)
/// with <see cref="ToTable"/> or <see cref="ToJson"/>; carry it out with <see cref="Reconciler.ApplyAsync"/>.
/// </summary>
public sealed class ReconciliationPlan
{
    internal ReconciliationPlan(MappingScope scope, IReadOnlyList<PlanStep> steps, IReadOnlyList<DriftEntry> drift, int desired, int remote, int unchanged, DateTimeOffset createdAt)
    {
        Scope = scope;
        Steps = steps;
        Drift = drift;
        DesiredCount = desired;
        RemoteCount = remote;
        UnchangedCount = unchanged;
        CreatedAt = createdAt;
    }

    /// <summary>Seller and channel.</summary>
    public MappingScope Scope { get; }

    /// <summary>Every step, grouped by action in the order they are applied.</summary>
    public IReadOnlyList<PlanStep> Steps { get; }

    /// <summary>Changes made on the marketplace since the mapping last saw each listing.</summary>
    public IReadOnlyList<DriftEntry> Drift { get; }

    /// <summary>Host listings read.</summary>
    public int DesiredCount { get; }

    /// <summary>Marketplace listings read.</summary>
    public int RemoteCount { get; }

    /// <summary>Host listings already in sync.</summary>
    public int UnchangedCount { get; }

    /// <summary>When the plan was made.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>
    /// The options the plan was made with; <see cref="Reconciler.ApplyAsync"/> uses them unless it is given others, so
    /// a choice made at plan time (e.g. <see cref="ReconcilerOptions.ImportThreshold"/>) holds at apply time.
    /// </summary>
    public ReconcilerOptions Options { get; init; } = new();

    /// <summary>
    /// What this plan could not see, in words (e.g. a channel that cannot list a seller's listings: listings created
    /// outside the host are invisible to it). Empty when the plan saw everything.
    /// </summary>
    public IReadOnlyList<string> Limitations { get; init; } = [];

    /// <summary>
    /// Prerequisites the seller is missing on the channel (<see cref="Channels.IChannelPreflight"/>), checked once
    /// when the plan was made. While any is missing, <c>ApplyAsync</c> writes nothing and throws one
    /// <see cref="Channels.ChannelPrerequisiteException"/> naming them, instead of failing item by item.
    /// </summary>
    public IReadOnlyList<Channels.ChannelPrerequisite> MissingPrerequisites { get; init; } = [];

    /// <summary>Steps with a given action.</summary>
    public int Count(PlanAction action) => Steps is PlanStepList list ? list.CountOf(action) : Steps.Count(s => s.Action == action);

    /// <summary>True when applying the plan would change the marketplace or the mapping.</summary>
    public bool HasChanges => Count(PlanAction.Create) + Count(PlanAction.Update) + Count(PlanAction.Remove) + Count(PlanAction.Link) > 0;

    /// <summary>A readable table: counts per action, then up to <paramref name="maxRows"/> steps.</summary>
    public string ToTable(int maxRows = 50)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Plan for {Scope}: {DesiredCount} desired, {RemoteCount} on the marketplace, {UnchangedCount} in sync");
        foreach (var action in Enum.GetValues<PlanAction>())
        {
            var count = Count(action);
            if (count > 0)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {action,-15} {count,8}");
            }
        }

        if (Drift.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {"Drift",-15} {Drift.Count,8}");
        }

        foreach (var limitation in Limitations)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  Cannot see: {limitation}");
        }

        foreach (var missing in MissingPrerequisites)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  Blocked: {missing.Name}: {missing.Message}");
        }

        if (Steps.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"  {"action",-15} {"reference",-24} {"listing",-14} detail");
            foreach (var step in Steps.Take(maxRows))
            {
                var detail = step.Action switch
                {
                    PlanAction.Update => step.ChangedFields.ToString(),
                    PlanAction.Reject => string.Join("; ", step.Errors),
                    PlanAction.FlagDuplicate => string.Join(", ", step.RelatedListingIds),
                    _ => step.Reason ?? string.Empty,
                };
                text.AppendLine(CultureInfo.InvariantCulture, $"  {step.Action,-15} {Clip(step.Reference, 24),-24} {Clip(step.ListingId, 14),-14} {detail}");
            }

            if (Steps.Count > maxRows)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  … and {Steps.Count - maxRows} more steps");
            }
        }

        return text.ToString();
    }

    /// <summary>The plan as JSON: counts, steps and drift.</summary>
    public string ToJson()
    {
        return IndentedJson.Write(json =>
        {
            json.WriteStartObject();
            json.WriteString("channel", Scope.Channel);
            json.WriteString("seller", Scope.Seller.SellerId);
            json.WriteString("createdAt", CreatedAt);
            json.WriteNumber("desired", DesiredCount);
            json.WriteNumber("remote", RemoteCount);
            json.WriteNumber("unchanged", UnchangedCount);
            json.WriteStartArray("limitations");
            foreach (var limitation in Limitations)
            {
                json.WriteStringValue(limitation);
            }

            json.WriteEndArray();
            json.WriteStartArray("missingPrerequisites");
            foreach (var missing in MissingPrerequisites)
            {
                json.WriteStartObject();
                json.WriteString("name", missing.Name);
                json.WriteString("message", missing.Message);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("counts");
            foreach (var action in Enum.GetValues<PlanAction>())
            {
                json.WriteNumber(action.ToString(), Count(action));
            }

            json.WriteEndObject();
            json.WriteStartArray("steps");
            foreach (var step in Steps)
            {
                json.WriteStartObject();
                json.WriteString("action", step.Action.ToString());
                WriteIf(json, "reference", step.Reference);
                WriteIf(json, "listingId", step.ListingId);
                if (step.ChangedFields != ListingFields.None)
                {
                    json.WriteString("changedFields", step.ChangedFields.ToString());
                }

                WriteIf(json, "reason", step.Reason);
                if (step.Errors.Count > 0)
                {
                    json.WriteStartArray("errors");
                    foreach (var error in step.Errors)
                    {
                        json.WriteStartObject();
                        json.WriteString("field", error.Field);
                        json.WriteString("rule", error.Rule);
                        json.WriteString("message", error.Message);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                }

                if (step.RelatedListingIds.Count > 0)
                {
                    json.WriteStartArray("relatedListingIds");
                    foreach (var id in step.RelatedListingIds)
                    {
                        json.WriteStringValue(id);
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("drift");
            foreach (var drift in Drift)
            {
                json.WriteStartObject();
                json.WriteString("reference", drift.Reference);
                WriteIf(json, "listingId", drift.ListingId);
                json.WriteString("fields", drift.Fields.ToString());
                json.WriteString("description", drift.Description);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static void WriteIf(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static string Clip(string? value, int length) => value is null ? "-" : value.Length <= length ? value : value[..(length - 1)] + "…";
}

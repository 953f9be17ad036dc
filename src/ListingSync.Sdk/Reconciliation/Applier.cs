using ListingSync.Sdk.Channels;
using ListingSync.Sdk.Mapping;
using ListingSync.Sdk.Model;

namespace ListingSync.Sdk.Reconciliation;

/// <summary>Carries out a plan; see <see cref="Reconciler.ApplyAsync"/>.</summary>
internal sealed class Applier
{
    private readonly Reconciler _reconciler;
    private readonly IListingChannel _channel;
    private readonly ReconciliationPlan _plan;
    private readonly ReconcilerOptions _options;
    private readonly IProgress<ReconciliationProgress>? _progress;
    private readonly StepResult?[] _results;
    /// <summary>Mappings written per store transaction for link steps and create pre-records.</summary>
    private const int MappingBatchSize = 500;
    private readonly Dictionary<PlanStep, int> _index;
    private readonly int _total;
    private int _completed;
    private int _succeeded;
    private int _failed;
    private CancellationToken _cancellation;
    private Task? _recording;
    private readonly long? _leaseToken;

    public Applier(Reconciler reconciler, IListingChannel channel, ReconciliationPlan plan, ReconcilerOptions options, IProgress<ReconciliationProgress>? progress, long? leaseToken = null)
    {
        _leaseToken = leaseToken;
        _reconciler = reconciler;
        _channel = channel;
        _plan = plan;
        _options = options;
        _progress = progress;
        _results = new StepResult?[plan.Steps.Count];
        _index = new Dictionary<PlanStep, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            _index[plan.Steps[i]] = i;
        }

        _total = plan.Steps.Count(s => s.Action is PlanAction.Link or PlanAction.Create or PlanAction.Update or PlanAction.Remove);
    }

    private SellerScope Seller => _plan.Scope.Seller;

    private IMappingStore Store => _reconciler.Store;

    public async Task<ReconciliationResult> RunAsync(CancellationToken cancellationToken)
    {
        _cancellation = cancellationToken;
        foreach (var step in _plan.Steps.Where(s => s.Action == PlanAction.Reject))
        {
            _results[_index[step]] = new StepResult(step, ListingWriteStatus.Rejected, null, step.Errors);
        }

        // Links only touch the mapping store: written in batches (one transaction each where the store allows), and
        // one by one — re-reading on conflict — when another writer changed a mapping of the batch meanwhile.
        foreach (var chunk in _plan.Steps.Where(s => s.Action == PlanAction.Link).Chunk(MappingBatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await TryWriteBatchAsync(chunk, Linked, cancellationToken).ConfigureAwait(false))
            {
                foreach (var link in chunk)
                {
                    Complete(link, new StepResult(link, ListingWriteStatus.Succeeded, link.ListingId, []), PlanAction.Link);
                }
            }
            else
            {
                foreach (var link in chunk)
                {
                    await RecordAsync(link, PlanAction.Link, async () =>
                    {
                        await WriteMappingAsync(link.Reference!, current => Linked(link, current), cancellationToken).ConfigureAwait(false);
                        return (ListingWriteStatus.Succeeded, link.ListingId, []);
                    }).ConfigureAwait(false);
                }
            }
        }

        var creates = _plan.Steps.Where(s => s.Action == PlanAction.Create).ToArray();
        try
        {
            if (_options.ImportThreshold is { } threshold && creates.Length >= threshold && _channel is IListingImporter importer)
            {
                // One import job for them all: recorded first like any create, so a crash mid-import duplicates nothing.
                await CreateBatchAsync(creates, cancellationToken, importer).ConfigureAwait(false);
            }
            else
            {
                await CreateInBatchesAsync(creates.Chunk(Math.Max(1, _options.CreateBatchSize)).ToArray(), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await FinishRecordingAsync().ConfigureAwait(false);
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxConcurrency), CancellationToken = cancellationToken };
        // Updates are idempotent (the same values again), so what they wrote goes to the mapping in batches of 500 after
        // the calls — not one transaction per update — and, should the process die first, the next plan only refreshes.
        // A writer drains them while the calls go on, so the store's time overlaps the marketplace's instead of adding to it.
        var written = new System.Collections.Concurrent.ConcurrentDictionary<PlanStep, (ListingDraft Write, ListingWriteResult Result)>(ReferenceEqualityComparer.Instance);
        var done = System.Threading.Channels.Channel.CreateUnbounded<PlanStep>(new System.Threading.Channels.UnboundedChannelOptions { SingleReader = true });
        var recorder = RecordUpdatesAsync(written, done.Reader);
        try
        {
            await Parallel.ForEachAsync(_plan.Steps.Where(s => s.Action == PlanAction.Update), parallel, async (step, ct) =>
                await RecordAsync(step, PlanAction.Update, async () =>
                {
                    var write = Reconciler.Merge(step.Desired!, step.Remote!, _options.OwnedFields & _channel.Fields);
                    var result = await _channel.UpdateListingAsync(Seller, step.ListingId!, write, ct).ConfigureAwait(false);
                    if (result.IsSuccess)
                    {
                        written[step] = (write, result);
                        done.Writer.TryWrite(step);
                    }

                    return (result.Status, step.ListingId, result.Errors);
                }).ConfigureAwait(false)).ConfigureAwait(false);
        }
        finally
        {
            done.Writer.TryComplete();
            await recorder.ConfigureAwait(false);
        }

        await Parallel.ForEachAsync(_plan.Steps.Where(s => s.Action == PlanAction.Remove), parallel, async (step, ct) =>
            await RecordAsync(step, PlanAction.Remove, async () =>
            {
                var result = await _channel.RemoveListingAsync(Seller, step.ListingId!, ct).ConfigureAwait(false);
                if (result.IsSuccess && await Store.FindByListingIdAsync(_plan.Scope, step.ListingId!, ct).ConfigureAwait(false) is { } owner)
                {
                    await WriteMappingAsync(owner.Reference, current => current! with { IsActive = false }, ct).ConfigureAwait(false);
                }

                return (result.Status, step.ListingId, result.Errors);
            }).ConfigureAwait(false)).ConfigureAwait(false);

        foreach (var flag in _plan.Steps.Where(s => s.Action == PlanAction.FlagUnresolved))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await WriteMappingAsync(flag.Reference!, current => (current ?? New(flag.Reference!)) with { Item = flag.Desired?.Item ?? current?.Item, NeedsReview = "unresolved identity: " + flag.Reason }, cancellationToken).ConfigureAwait(false);
        }

        return new ReconciliationResult(_results.Where(r => r is not null).Select(r => r!).ToList());
    }

    /// <summary>
    /// Sends the creates batch by batch, each recorded before it is sent. The next batch is recorded while this one is
    /// on the wire, so the store's time overlaps the marketplace's; nothing is sent before its own record is written.
    /// </summary>
    private async Task CreateInBatchesAsync(PlanStep[][] batches, CancellationToken cancellationToken)
    {
        Task<Prerecorded>? ahead = null;
        try
        {
            for (var i = 0; i < batches.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var ready = await (ahead ?? PrerecordAsync(batches[i], cancellationToken)).ConfigureAwait(false);
                ahead = null;
                cancellationToken.ThrowIfCancellationRequested();
                if (i + 1 < batches.Length)
                {
                    // On a thread of its own: a store that completes synchronously (SQLite does) would otherwise
                    // write the whole batch here, before this batch is sent.
                    var next = batches[i + 1];
                    ahead = Task.Run(() => PrerecordAsync(next, cancellationToken), CancellationToken.None);
                }

                await SendBatchAsync(ready, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (ahead is not null)
            {
                // A batch recorded but not sent (the run stopped): its records read as pending creates, which the next
                // plan confirms by reference before creating anything. No store write may outlive the apply.
                try
                {
                    await ahead.ConfigureAwait(false);
                }
                catch (Exception) when (!ahead.IsCompletedSuccessfully)
                {
                    // The exception that stopped the loop is the one the caller sees.
                }
            }
        }
    }

    private async Task CreateBatchAsync(PlanStep[] batch, CancellationToken cancellationToken, IListingImporter? importer = null) =>
        await SendBatchAsync(await PrerecordAsync(batch, cancellationToken).ConfigureAwait(false), cancellationToken, importer).ConfigureAwait(false);

    /// <summary>The creates of a batch that were recorded before sending (stale ones left out), with the records as written.</summary>
    private sealed record Prerecorded(PlanStep[] Batch, Dictionary<string, ListingMapping> Mappings);

    private async Task<Prerecorded> PrerecordAsync(PlanStep[] batch, CancellationToken cancellationToken)
    {
        // Record each create before sending it (in batches, one by one only when a batch meets another writer): if the
        // process dies after the marketplace accepted it, the next plan finds the listing by its reference and adopts
        // it instead of creating it again.
        var fresh = new List<PlanStep>(batch.Length);
        // What the store holds after the pre-records: the answers are written on top of them without reading them again.
        var prerecorded = new Dictionary<string, ListingMapping>(StringComparer.Ordinal);
        foreach (var chunk in batch.Chunk(MappingBatchSize))
        {
            // One read per create serves both checks: the plan is not stale, and the pre-record's version.
            var mappings = new List<ListingMapping>(chunk.Length);
            var kept = new List<PlanStep>(chunk.Length);
            var currents = await Store.FindByReferencesAsync(_plan.Scope, [.. chunk.Select(s => s.Reference!)], cancellationToken).ConfigureAwait(false);
            foreach (var step in chunk)
            {
                var current = currents.GetValueOrDefault(step.Reference!);
                if (IsStale(step, current))
                {
                    continue;
                }

                kept.Add(step);
                mappings.Add(Pending(step, current) with { Scope = _plan.Scope, Reference = step.Reference!, Version = current?.Version ?? 0, LeaseToken = _leaseToken });
            }

            try
            {
                foreach (var written in await Store.UpsertManyAsync(mappings, cancellationToken).ConfigureAwait(false))
                {
                    prerecorded[written.Reference] = written;
                }

                fresh.AddRange(kept);
            }
            catch (MappingConflictException)
            {
                foreach (var step in kept)
                {
                    if (!IsStale(step, await Store.FindByReferenceAsync(_plan.Scope, step.Reference!, cancellationToken).ConfigureAwait(false)))
                    {
                        await WriteMappingAsync(step.Reference!, current => Pending(step, current), cancellationToken).ConfigureAwait(false);
                        fresh.Add(step);
                    }
                }
            }
        }

        return new Prerecorded([.. fresh], prerecorded);
    }

    private async Task SendBatchAsync(Prerecorded ready, CancellationToken cancellationToken, IListingImporter? importer = null)
    {
        var (batch, prerecorded) = ready;
        if (batch.Length == 0)
        {
            return;
        }

        IReadOnlyList<ListingWriteResult> results;
        var journal = importer is null ? null : new ImportJobs.ImportJobJournal(Store, _plan.Scope);
        var started = new List<string>();
        try
        {
            var drafts = batch.Select(s => s.Desired!).ToList();
            if (importer is null)
            {
                results = await _channel.CreateListingsAsync(Seller, drafts, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // The journal is written before the upload and as each job is accepted: a crash or cancel from here on
                // leaves a record the next plan waits on, instead of a job nobody knows about still creating rows.
                await journal!.UploadStartingAsync(_reconciler.Now, cancellationToken).ConfigureAwait(false);
                results = await importer.ImportListingsAsync(Seller, drafts, _options.ImportProgress, async (job, ct) =>
                {
                    started.Add(job.Id);
                    await journal.JobStartedAsync(job.Id, _reconciler.Now, CancellationToken.None).ConfigureAwait(false);
                }, cancellationToken).ConfigureAwait(false);
                await journal.ClearAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException ex) when (journal is not null && cancellationToken.IsCancellationRequested)
        {
            throw new ImportJobs.ImportJobsLeftRunningException(
                started.Count == 0
                    ? $"The apply was cancelled during the upload of an import of {batch.Length} listings to {_channel.Name}; the marketplace may have accepted it. It is recorded in the mapping store: the next plan waits for any such job before it creates anything."
                    : $"The apply was cancelled while import job(s) {string.Join(", ", started)} ({batch.Length} listings) kept running on {_channel.Name}. They are recorded in the mapping store: the next plan waits for them (ReconcilerOptions.RunningImports) before it creates anything.",
                started,
                ex,
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever went wrong (a request failure, or a fault in the channel's code), the batch may have been
            // sent: its outcome is unknown, and the next plan looks before creating anything again. The run goes on.
            foreach (var step in batch)
            {
                Complete(step, new StepResult(step, ListingWriteStatus.Unknown, null, [], ex), PlanAction.Create);
            }

            return;
        }

        var ids = results.Where(r => r.IsSuccess && r.ListingId is not null).ToDictionary(r => batch[r.Index].Reference!, r => r.ListingId!, StringComparer.Ordinal);
        var missing = results.Where(r => r.IsSuccess && r.ListingId is null).Select(r => batch[r.Index]).ToList();
        if (_options.ResolveCreatedIds && missing.Count > 0 && _channel is IListingReferenceLookup lookup)
        {
            try
            {
                foreach (var (reference, id) in await lookup.FindListingIdsAsync(Seller, missing.ConvertAll(s => (s.Reference!, s.Desired!.Item)), cancellationToken).ConfigureAwait(false))
                {
                    ids.TryAdd(reference, id);
                }
            }
            catch (ListingSyncRequestException)
            {
                // The listings exist; their ids arrive with the next plan, which adopts them by reference.
            }
        }

        // The answer of this batch is recorded while the next batch is recorded-before-send and sent: the store's time
        // overlaps the marketplace's. One recording runs at a time, in batch order.
        if (_recording is { } previous)
        {
            await previous.ConfigureAwait(false);
        }

        _recording = RecordCreatesAsync(batch, results, ids, prerecorded, cancellationToken);
    }

    /// <summary>Waits for the answers of the last create batch to be recorded.</summary>
    private async Task FinishRecordingAsync()
    {
        if (_recording is { } last)
        {
            _recording = null;
            await last.ConfigureAwait(false);
        }
    }

    private async Task RecordCreatesAsync(PlanStep[] batch, IReadOnlyList<ListingWriteResult> results, Dictionary<string, string> ids, Dictionary<string, ListingMapping> prerecorded, CancellationToken cancellationToken)
    {
        // What the marketplace answered goes to the store in batches (one transaction each where the store allows), like
        // the records written before the send; a batch that meets another writer is redone one mapping at a time.
        await Task.Yield(); // let the next batch start at once
        var outcome = new Dictionary<PlanStep, (ListingWriteResult Result, string? Id)>(ReferenceEqualityComparer.Instance);
        foreach (var result in results)
        {
            outcome[batch[result.Index]] = (result, ids.GetValueOrDefault(batch[result.Index].Reference!));
        }

        ListingMapping Answered(PlanStep step, ListingMapping? current)
        {
            var (result, id) = outcome[step];
            if (result.IsSuccess)
            {
                var created = result.Listing is { } l && string.Equals(l.Id, id, StringComparison.Ordinal) ? l : null;
                return current! with
                {
                    ListingId = id,
                    State = created is null ? current.State : Reconciler.StateOf(created),
                    RemoteUpdatedAt = created?.UpdatedAt ?? current.RemoteUpdatedAt,
                };
            }

            return current! with { NeedsReview = Reconciler.CreateFailedReview + string.Join("; ", result.Errors.Select(e => e.ToString()).DefaultIfEmpty(result.Exception?.Message ?? "unknown")) };
        }

        var toWrite = outcome.Where(o => (o.Value.Result.IsSuccess && o.Value.Id is not null) || o.Value.Result.Status is ListingWriteStatus.Failed or ListingWriteStatus.Rejected).Select(o => o.Key).ToArray();
        var failedWrites = new Dictionary<PlanStep, MappingConflictException>(ReferenceEqualityComparer.Instance);
        foreach (var chunk in toWrite.Chunk(MappingBatchSize))
        {
            if (await TryWriteBatchAsync(chunk, Answered, cancellationToken, step => prerecorded.GetValueOrDefault(step.Reference!)).ConfigureAwait(false))
            {
                continue;
            }

            foreach (var step in chunk)
            {
                try
                {
                    await WriteMappingAsync(step.Reference!, current => Answered(step, current), cancellationToken).ConfigureAwait(false);
                }
                catch (MappingConflictException ex)
                {
                    failedWrites[step] = ex;
                }
            }
        }

        foreach (var (step, (result, id)) in outcome)
        {
            Complete(step, failedWrites.TryGetValue(step, out var conflict)
                ? new StepResult(step, ListingWriteStatus.Failed, id, [new FieldError("mapping", "conflict", conflict.Message)], conflict)
                : new StepResult(step, result.Status, id, result.Errors, result.Exception), PlanAction.Create);
        }
    }

    private async Task RecordAsync(PlanStep step, PlanAction phase, Func<Task<(ListingWriteStatus Status, string? ListingId, IReadOnlyList<FieldError> Errors)>> action)
    {
        StepResult result;
        try
        {
            var (status, id, errors) = await action().ConfigureAwait(false);
            result = new StepResult(step, status, id, errors);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_cancellation.IsCancellationRequested)
        {
            // One item's failure, of any kind, is that item's result; the other steps go on.
            result = new StepResult(step, ListingWriteStatus.Failed, step.ListingId, ex switch
            {
                ListingSyncRequestException r => r.FieldErrors,
                ListingSyncValidationException v => v.Errors,
                _ => [],
            }, ex);
        }

        Complete(step, result, phase);
    }

    private void Complete(PlanStep step, StepResult result, PlanAction phase)
    {
        _results[_index[step]] = result;
        var succeeded = result.Status == ListingWriteStatus.Succeeded ? Interlocked.Increment(ref _succeeded) : Volatile.Read(ref _succeeded);
        var failed = result.Status == ListingWriteStatus.Succeeded ? Volatile.Read(ref _failed) : Interlocked.Increment(ref _failed);
        _progress?.Report(new ReconciliationProgress(Interlocked.Increment(ref _completed), _total, succeeded, failed, phase));
    }

    private ListingMapping New(string reference) => new() { Scope = _plan.Scope, Reference = reference };

    /// <summary>
    /// Writes the mappings <paramref name="change"/> makes for <paramref name="steps"/> in one store call (one transaction
    /// where the store allows), each on top of what the store holds now. <paramref name="known"/> gives the mapping of a
    /// step as this apply last saw it (the plan's, or the record written before a create): those are not read again. A
    /// batch that meets another writer is re-read and tried once more; false when it conflicts again: nothing was
    /// written, and the caller redoes the steps one by one.
    /// </summary>
    private async Task<bool> TryWriteBatchAsync(PlanStep[] steps, Func<PlanStep, ListingMapping?, ListingMapping> change, CancellationToken cancellationToken, Func<PlanStep, ListingMapping?>? known = null)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var unknown = known is null ? steps : steps.Where(s => known(s) is null).ToArray();
            var currents = unknown.Length == 0
                ? null
                : await Store.FindByReferencesAsync(_plan.Scope, [.. unknown.Select(s => s.Reference!)], cancellationToken).ConfigureAwait(false);
            var mappings = new List<ListingMapping>(steps.Length);
            foreach (var step in steps)
            {
                var current = known?.Invoke(step) ?? currents?.GetValueOrDefault(step.Reference!);
                mappings.Add(change(step, current) with { Scope = _plan.Scope, Reference = step.Reference!, Version = current?.Version ?? 0, LeaseToken = _leaseToken });
            }

            try
            {
                await Store.UpsertManyAsync(mappings, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (MappingConflictException)
            {
                if (known is null)
                {
                    return false;
                }

                known = null; // what this apply saw is stale: read them all and try once more
            }
        }

        return false;
    }

    private async Task RecordUpdatesAsync(System.Collections.Concurrent.ConcurrentDictionary<PlanStep, (ListingDraft Write, ListingWriteResult Result)> written, System.Threading.Channels.ChannelReader<PlanStep> done)
    {
        var cancellationToken = CancellationToken.None; // what the marketplace took is recorded even when the apply is cancelled
        ListingMapping Updated(PlanStep step, ListingMapping? current)
        {
            var (write, result) = written[step];
            return (current ?? New(step.Reference!)) with
            {
                ListingId = step.ListingId,
                Item = step.Desired!.Item,
                State = result.Listing is { } listing ? Reconciler.StateOf(listing) : Reconciler.StateOf(write),
                RemoteUpdatedAt = result.Listing?.UpdatedAt ?? current?.RemoteUpdatedAt,
                IsActive = true,
                NeedsReview = null,
            };
        }

        var chunkList = new List<PlanStep>(MappingBatchSize);
        while (await done.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (chunkList.Count < MappingBatchSize && done.TryRead(out var next))
            {
                chunkList.Add(next);
            }

            if (chunkList.Count < MappingBatchSize && !done.Completion.IsCompleted)
            {
                await Task.Yield(); // let more results arrive: batches of 500 make the cheap transactions
                if (chunkList.Count < MappingBatchSize / 10)
                {
                    await Task.Delay(20, cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            var chunk = chunkList.ToArray();
            chunkList.Clear();
            await FlushUpdatesAsync(chunk, Updated, cancellationToken).ConfigureAwait(false);
        }

        while (done.TryRead(out var rest))
        {
            chunkList.Add(rest);
        }

        if (chunkList.Count > 0)
        {
            await FlushUpdatesAsync([.. chunkList], Updated, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FlushUpdatesAsync(PlanStep[] steps, Func<PlanStep, ListingMapping?, ListingMapping> Updated, CancellationToken cancellationToken)
    {
        foreach (var chunk in steps.Chunk(MappingBatchSize))
        {
            if (await TryWriteBatchAsync(chunk, Updated, cancellationToken, step => step.Mapping).ConfigureAwait(false))
            {
                continue;
            }

            foreach (var step in chunk)
            {
                try
                {
                    await WriteMappingAsync(step.Reference!, current => Updated(step, current), cancellationToken).ConfigureAwait(false);
                }
                catch (MappingConflictException ex)
                {
                    // The marketplace took the update; only the mapping's record of it failed: the next plan refreshes it.
                    _results[_index[step]] = new StepResult(step, ListingWriteStatus.Failed, step.ListingId, [new FieldError("mapping", "conflict", ex.Message)], ex);
                }
            }
        }
    }

    /// <summary>
    /// True (and the step completed as failed, "stale plan") when the create's mapping changed since the plan was made:
    /// another run created or recorded the product meanwhile, so nothing is sent and the next plan sees what is there.
    /// </summary>
    private bool IsStale(PlanStep step, ListingMapping? current)
    {
        if ((current?.Version ?? 0) == step.MappingVersion)
        {
            return false;
        }

        Complete(step, new StepResult(step, ListingWriteStatus.Failed, current?.ListingId, [new FieldError("plan", "stale", $"the mapping of '{step.Reference}' changed since the plan was made (version {step.MappingVersion} -> {current?.Version ?? 0}, listing {current?.ListingId ?? "pending"}): another run got there first; nothing was sent, plan again")]), PlanAction.Create);
        return true;
    }

    /// <summary>The mapping recorded before a create is sent: no listing id yet, the state being written.</summary>
    private ListingMapping Pending(PlanStep step, ListingMapping? current) => (current ?? New(step.Reference!)) with
    {
        ListingId = null,
        Item = step.Desired!.Item,
        State = Reconciler.StateOf(step.Desired),
        IsActive = true,
        NeedsReview = null,
    };

    /// <summary>The mapping a link step leaves: the listing adopted with the marketplace's state.</summary>
    private ListingMapping Linked(PlanStep link, ListingMapping? current) => (current ?? New(link.Reference!)) with
    {
        ListingId = link.ListingId,
        // The marketplace's identity, with the host's own identifiers where the plan resolved them: a later plan then
        // recognises them and asks no lookup again.
        Item = link.HostItem is { } host
            ? link.Remote!.Item with { CardmarketId = link.Remote.Item.CardmarketId ?? host.CardmarketId, TcgplayerId = link.Remote.Item.TcgplayerId ?? host.TcgplayerId, Sku = link.Remote.Item.Sku ?? host.Sku, Gtin = link.Remote.Item.Gtin ?? host.Gtin }
            : link.Remote!.Item,
        State = Reconciler.StateOf(link.Remote!),
        RemoteUpdatedAt = link.Remote!.UpdatedAt,
        IsActive = true,
        NeedsReview = null,
    };

    private async Task WriteMappingAsync(string reference, Func<ListingMapping?, ListingMapping> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await Store.FindByReferenceAsync(_plan.Scope, reference, cancellationToken).ConfigureAwait(false);
            var next = change(current) with { Scope = _plan.Scope, Reference = reference, Version = current?.Version ?? 0, LeaseToken = _leaseToken };
            try
            {
                await Store.UpsertAsync(next, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (MappingConflictException) when (attempt < 3)
            {
                // Another writer got there first: re-read and apply the change on top of theirs.
            }
        }
    }
}

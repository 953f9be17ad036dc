namespace ListingSync.Sdk.Channels.Managem;

/// <summary>A row an import could not process.</summary>
public sealed record ManagemImportError
{
    /// <summary>Error id.</summary>
    public string Id { get; init; } = "";

    /// <summary>HTTP-like code: 404 (item not found), 409 (conflict), 400 (invalid row), ...</summary>
    public int Code { get; init; }

    /// <summary>What went wrong.</summary>
    public string Message { get; init; } = "";

    /// <summary>The original CSV line.</summary>
    public string? Line { get; init; }
}

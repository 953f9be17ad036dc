namespace ListingSync.Sdk.PostgreSql;

/// <summary>Where and how the PostgreSQL store keeps its tables (<c>AddPostgresMappingStore</c>, configuration section <c>ListingSync:PostgreSql</c>).</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>The Npgsql connection string (required).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The schema the tables live in (letters, digits and underscores; default <c>listingsync</c>). One schema per environment or tenant.</summary>
    public string Schema { get; set; } = "listingsync";

    /// <summary>
    /// Create and migrate the schema on first use (default true, under an advisory lock, so workers starting together
    /// are safe). Set false where DDL is forbidden at run time and call <see cref="PostgresMappingStore.MigrateAsync"/>
    /// from a deployment step; the store then checks the schema version on first use.
    /// </summary>
    public bool AutoMigrate { get; set; } = true;

    /// <summary>
    /// The clock leases and the inbox's visibility timeout are judged by. Null (the default): the database server's
    /// clock, one clock for every worker whatever their machines' clocks say. Tests inject a fake clock here.
    /// </summary>
    public TimeProvider? Clock { get; set; }

    /// <summary>How long a taken inbox event stays invisible to other workers before it is offered again (a worker that crashed mid-handler). Default 5 minutes.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often an idle worker looks for inbox events other processes accepted. Default 1 second.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Every broken rule, each naming its configuration key under <paramref name="prefix"/>.</summary>
    internal static List<string> Validate(PostgresStoreOptions options, string prefix)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add($"{prefix}:ConnectionString is required (an Npgsql connection string, e.g. Host=db;Username=sync;Password=…;Database=sync).");
        }

        if (string.IsNullOrEmpty(options.Schema) || options.Schema.Length > 63 || !options.Schema.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(options.Schema[0]))
        {
            errors.Add($"{prefix}:Schema must be 1 to 63 letters, digits or underscores, not starting with a digit (was '{options.Schema}').");
        }

        if (options.VisibilityTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}:VisibilityTimeout must be positive (was {options.VisibilityTimeout}).");
        }

        if (options.PollInterval <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}:PollInterval must be positive (was {options.PollInterval}).");
        }

        return errors;
    }
}

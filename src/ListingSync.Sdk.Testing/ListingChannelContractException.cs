namespace ListingSync.Sdk.Testing;

/// <summary>An <see cref="Sdk.Channels.IListingChannel"/> broke a rule of <see cref="ListingChannelContract"/>.</summary>
public sealed class ListingChannelContractException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ListingChannelContractException()
    {
    }

    /// <summary>Creates the exception with the broken rule.</summary>
    public ListingChannelContractException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ListingChannelContractException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

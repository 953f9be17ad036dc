namespace ListingSync.Sdk.Testing;

/// <summary>An <see cref="Sdk.Mapping.IMappingStore"/> broke a rule of <see cref="MappingStoreContract"/>.</summary>
public sealed class MappingStoreContractException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MappingStoreContractException()
    {
    }

    /// <summary>Creates the exception with the broken rule.</summary>
    public MappingStoreContractException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public MappingStoreContractException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

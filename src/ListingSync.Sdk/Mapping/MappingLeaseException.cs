namespace ListingSync.Sdk.Mapping;

/// <summary>Another applier holds the lease of a (channel, seller): nothing was written.</summary>
public class MappingLeaseHeldException : ListingSyncException
{
    /// <summary>Creates the exception.</summary>
    public MappingLeaseHeldException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MappingLeaseHeldException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public MappingLeaseHeldException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The lease as the store holds it: who, since when, until when.</summary>
    public MappingLease? Current { get; init; }
}

/// <summary>
/// A write carried a lease token that is no longer the scope's current lease (it expired, or another applier took it):
/// the write was refused, and nothing of it was stored. Do not retry it: plan again.
/// </summary>
public class MappingLeaseLostException : ListingSyncException
{
    /// <summary>Creates the exception.</summary>
    public MappingLeaseLostException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MappingLeaseLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public MappingLeaseLostException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

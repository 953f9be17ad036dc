using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ListingSync.Sdk.DependencyInjection;

/// <summary>The one way every channel's <c>AddX</c> registers its options: a delegate or a bound section, validated at start-up.</summary>
internal static class ChannelRegistration
{
    /// <summary>
    /// Registers <typeparamref name="TOptions"/> with <paramref name="configure"/> (the caller binds <paramref name="section"/>
    /// itself, so the configuration binder's source generator sees a concrete type), remembers the section path for error messages (<paramref name="defaultSection"/> for a delegate), and validates with
    /// <typeparamref name="TValidator"/> when the host starts.
    /// </summary>
    public static void AddOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] TOptions, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(IServiceCollection services, Action<TOptions>? configure, IConfiguration? section, string defaultSection)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        var options = services.AddOptions<TOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        var path = section is IConfigurationSection { Path.Length: > 0 } bound ? bound.Path : defaultSection;
        services.RemoveAll<ChannelOptionsSection<TOptions>>();
        services.AddSingleton(new ChannelOptionsSection<TOptions>(path));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        options.ValidateOnStart();
    }
}

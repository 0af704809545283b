using IntuneVpp.Client.Diagnostics;

namespace IntuneVpp.Client.Authentication
{
    /// <summary>
    /// A token provider that handles secrets of its own (a client secret, the assertions it signs, an identity header).
    /// The connection built on it adopts its <see cref="Secrets"/>, so those are masked wherever the connection writes.
    /// </summary>
    internal interface ISecretHolder
    {
        SentSecrets Secrets { get; }
    }
}

using System.Security.Cryptography.X509Certificates;

namespace IntuneVpp.Connections
{
    /// <summary>Finds an app's certificate the way Connect-MgGraph does: CurrentUser first, then LocalMachine.</summary>
    internal static class CertificateStores
    {
        public static X509Certificate2? FindByThumbprint(string thumbprint)
        {
            string wanted = thumbprint.Replace(" ", string.Empty).Trim();
            foreach (StoreLocation location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
            {
                using var store = new X509Store(StoreName.My, location);
                try
                {
                    store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                }
                catch (System.Security.Cryptography.CryptographicException)
                {
                    continue;
                }

                foreach (X509Certificate2 certificate in store.Certificates.Find(X509FindType.FindByThumbprint, wanted, validOnly: false))
                {
                    if (certificate.HasPrivateKey)
                    {
                        return certificate;
                    }
                }
            }

            return null;
        }
    }
}

using System;

namespace IntuneVpp.Client.Graph
{
    /// <summary>
    /// Checks a vppToken id before it goes into a URL. Intune's ids are GUIDs; anything else is refused, so no value
    /// can reach another path ('../../me') or smuggle a query.
    /// </summary>
    public static class VppTokenId
    {
        /// <summary>Returns the id in Graph's form (lowercase, hyphenated), or null with the reason it is not an id.</summary>
        public static string? Normalize(string? id, out string? problem)
        {
            if (string.IsNullOrWhiteSpace(id))
            {
                problem = "The VPP token id is empty.";
                return null;
            }

            if (!Guid.TryParse(id!.Trim(), out Guid guid))
            {
                problem = $"'{Diagnostics.ErrorText.Printable(id)}' is not a VPP token id: Intune's ids are GUIDs such as 9ceb2f92-2f92-9ceb-922f-eb9c922feb9c.";
                return null;
            }

            problem = null;
            return guid.ToString("D");
        }
    }
}

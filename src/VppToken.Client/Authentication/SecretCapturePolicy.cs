using System;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;
using IntuneVpp.Client.Diagnostics;

namespace IntuneVpp.Client.Authentication
{
    /// <summary>
    /// Sits in Azure.Identity's own pipeline and remembers every credential a sign-in sends or gets back: the client
    /// secret and the assertions MSAL signs (form fields), a managed identity's secret header, and the tokens in the
    /// answer. The module never sees most of these otherwise, yet an Entra ID error can quote them.
    /// </summary>
    internal sealed class SecretCapturePolicy : HttpPipelinePolicy
    {
        // A token answer is a few kilobytes; a larger body is not one, and is not worth reading.
        private const int LargestAnswerRead = 1024 * 1024;

        private static readonly string[] SecretHeaders = { "X-IDENTITY-HEADER", "secret", "X-IDENTITY-SECRET" };

        private readonly SentSecrets _secrets;

        public SecretCapturePolicy(SentSecrets secrets) => _secrets = secrets;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            CaptureRequest(message);
            ProcessNext(message, pipeline);
            CaptureResponse(message);
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            CaptureRequest(message);
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            CaptureResponse(message);
        }

        private void CaptureRequest(HttpMessage message)
        {
            foreach (string name in SecretHeaders)
            {
                if (message.Request.Headers.TryGetValue(name, out string? value))
                {
                    _secrets.Add(value);
                }
            }

            if (message.Request.Content is not { } content)
            {
                return;
            }

            // Read once and put back as a buffer, so the request still sends exactly these bytes.
            using var buffer = new MemoryStream();
            content.WriteTo(buffer, message.CancellationToken);
            byte[] bytes = buffer.ToArray();
            message.Request.Content = RequestContent.Create(bytes);
            string text = Encoding.UTF8.GetString(bytes);
            _secrets.AddRange(text.TrimStart().StartsWith("{", StringComparison.Ordinal)
                ? Redaction.SecretValues(bytes)
                : Redaction.FormSecretValues(text));
        }

        private void CaptureResponse(HttpMessage message)
        {
            if (!message.HasResponse || message.Response.ContentStream is not MemoryStream buffered || buffered.Length > LargestAnswerRead)
            {
                return;
            }

            _secrets.AddRange(Redaction.SecretValues(buffered.ToArray()));
        }
    }
}

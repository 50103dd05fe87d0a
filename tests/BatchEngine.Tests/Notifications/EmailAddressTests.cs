using BatchEngine.Jobs.Notifications;
using BatchEngine.Tests.Infrastructure;

namespace BatchEngine.Tests.Notifications;

/// <summary>
/// The register and the sender agree on what an e-mail address is (issue #18): every address the rule takes is one the
/// message builder addresses as it is, and the odd ones the old register pattern let through are refused.
/// </summary>
[Category(Categories.Rules)]
public sealed class EmailAddressTests
{
    [TestCase("name@example.ir", true)]
    [TestCase("unit24000001.1@example.com", true)]
    [TestCase("first.last+tag@mail.gov.ir", true)]
    [TestCase("name@example", false)]
    [TestCase("name@@example.ir", false)]
    [TestCase("name@example.ir.", false)]
    [TestCase("\"quoted\"@example.ir", false)]
    [TestCase("name@[127.0.0.1].ir", false)]
    [TestCase("name,other@example.ir", false)]
    [TestCase("Name <name@example.ir>", false)]
    [TestCase("a..b@example.ir", false)]
    [TestCase(".name@example.ir", false)]
    [TestCase("name@example..ir", false)]
    public void An_address_is_valid_only_when_the_sender_reads_it_back_as_it_is(string text, bool valid)
    {
        Assert.That(EmailAddress.IsValid(text), Is.EqualTo(valid));
        if (valid)
        {
            var message = MessageTemplates.Email("sender@example.ir", [text], new RenderedMessage("موضوع", "متن"), "<1@example.ir>");
            Assert.That(message.To.Mailboxes.Single().Address, Is.EqualTo(text), "the sender addresses exactly what the register kept");
        }
    }
}

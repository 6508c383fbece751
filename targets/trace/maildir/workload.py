# Python's standard mailbox.Maildir as a mail queue: three messages added one after the other to
# the Maildir in $SPOOLCHECK_DIR; after each add() returns, its key is printed ("queued KEY"),
# the moment a mail server would answer "250 queued".
import email.message
import mailbox
import os
import sys

box = mailbox.Maildir(os.path.join(os.environ["SPOOLCHECK_DIR"], "Maildir"), create=True)
for i in range(3):
    msg = email.message.EmailMessage()
    msg["Subject"] = f"message {i}"
    msg.set_content(f"body of message {i}\n" + "x" * 40 * i)
    key = box.add(msg)
    print(f"queued {key} {i}", flush=True)

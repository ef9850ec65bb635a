"""Administers the coldsweat of tests/harness/fever.sh in-process (coldsweat's own "setup"
run a second time deletes subscriptions; its "fetch" skips feeds fetched in the last 3 min).

    user EMAIL PASSWORD            create or reset a user, print its Fever api_key
    subscribe EMAIL GROUP URL...   subscribe to loopback feeds (GROUP "" = "Default") and fetch them
    fetch URL...                   fetch these feeds now
"""
import ipaddress
import logging
import sys
import urllib.parse

from coldsweat import create_app
import coldsweat.feed as feed
import coldsweat.fetcher as fetcher
import coldsweat.models as m
from werkzeug import security


def loopback(url):
    u = urllib.parse.urlsplit(url)
    if u.scheme not in ('http', 'https') or not u.hostname:
        return False
    if u.hostname == 'localhost':
        return True
    try:
        return ipaddress.ip_address(u.hostname).is_loopback
    except ValueError:
        return False


def fetch(urls):
    fetcher.MIN_FETCH_INTERVAL = 0
    feeds = [m.Feed.get(m.Feed.self_link == u) for u in urls]
    feed.fetch_feeds(feeds)


def main(cmd, args):
    if cmd == 'user':
        email, password = args
        if not m.User.validate_password(password):
            sys.exit(f'password must be at least {m.User.MIN_PASSWORD_LENGTH} characters')
        key = m.User.make_fever_api_key(email, password)
        u = m.User.get_or_none(m.User.email == email)
        pw_hash = security.generate_password_hash(password)
        if u:
            u.password_hash, u.fever_api_key, u.enabled = pw_hash, key, True
            u.save()
        else:
            m.User.create(email=email, password_hash=pw_hash, fever_api_key=key)
        print(key)
    elif cmd == 'subscribe':
        email, group_title, urls = args[0], args[1] or m.Group.DEFAULT_GROUP, args[2:]
        bad = [u for u in urls if not loopback(u)]
        if bad:
            sys.exit('refusing non-loopback feed URL(s): ' + ' '.join(bad))
        user = m.User.get(m.User.email == email)
        group, _ = m.Group.get_or_create(title=group_title)
        for url in urls:
            feed.add_subscription(user, feed.add_feed_from_url(url), group)
        fetch(urls)
    elif cmd == 'fetch':
        fetch(args)
    else:
        sys.exit('unknown command ' + cmd)


if __name__ == '__main__':
    app = create_app()
    app.logger.setLevel(logging.WARNING)
    with app.app_context():
        if 'groups' not in m.db_wrapper.database.get_tables():
            m.setup()  # a new database: tables and the built-in groups
        main(sys.argv[1], sys.argv[2:])
